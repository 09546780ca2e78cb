// Deployments (admin; platform configurers read): what is deployed, how many replicas run, and
// what each runs, refreshed live; opening one shows its workloads. Admins create deployments
// (deployment-form.js) and delete them.

import { api, listAll, session } from './api.js';
import { h, heading, chips, liveRows, timeOfDay } from './dom.js';
import { formFeedback } from './forms.js';
import { deploymentForm } from './deployment-form.js';
import { logsDialog, workloadTable } from './workloads.js';

const REFRESH_MS = 2000;

export function renderDeploymentsPage(view, pg) {
  const admin = session()?.role === 'admin';
  const logs = logsDialog();
  const status = formFeedback('deployments');
  const listError = h('p', { class: 'form-error', role: 'alert', testid: 'deployments-error', hidden: true });
  const count = h('small', { class: 'muted', testid: 'deployments-count' });
  const detail = h('div', { testid: 'deployment-detail' });
  const tbody = h('tbody', { testid: 'deployments-rows' });
  const rows = liveRows(tbody, {
    key: (d) => d.name,
    make: (d) => deploymentRow(d, { admin, open: toggle, remove }),
    empty: () => h('tr', {}, h('td', { colspan: 9, class: 'muted' },
      admin ? 'Nothing is deployed yet: create a deployment below.' : 'Nothing is deployed yet.')),
  });
  let opened = null; // {name, table} of the deployment whose workloads are shown

  async function load() {
    try {
      const list = await listAll('/api/v1/deployments');
      if (!pg.live()) return;
      listError.hidden = true;
      count.textContent = list.length === 1 ? '1 deployment' : `${list.length} deployments`;
      rows.show(list);
      if (opened && !list.some((d) => d.name === opened.name)) close();
    } catch (e) {
      if (!pg.live() || e.handled) return;
      listError.textContent = 'Cannot list the deployments: ' + e.detail;
      listError.hidden = false;
    }
  }

  /** Shows the workloads of `name` under the list, or hides them when they are already shown. */
  function toggle(name) {
    const again = opened?.name === name;
    close();
    if (again) return;
    const table = workloadTable(pg, logs, { deployment: name });
    opened = { name, table };
    rows.rows.get(name)?.el.classList.add('selected');
    detail.replaceChildren(h('article', { class: 'panel', testid: 'deployment-workloads' },
      h('header', {}, h('strong', {}, 'Workloads of ', h('code', { testid: 'deployment-workloads-name' }, name)),
        h('a', { href: `#/workloads?deployment=${encodeURIComponent(name)}` }, 'on the Workloads page'),
        h('button', { type: 'button', class: 'small secondary outline', testid: 'deployment-workloads-close', onclick: close }, 'Hide')),
      table.el));
    table.start();
  }

  function close() {
    if (!opened) return;
    opened.table.stop();
    rows.rows.get(opened.name)?.el.classList.remove('selected');
    opened = null;
    detail.replaceChildren();
  }

  async function remove(name) {
    const ok = await status.run(() => new Map(), () => api('DELETE', `/api/v1/deployments/${encodeURIComponent(name)}`), pg);
    if (!ok || !pg.live()) return;
    status.done(`Deleted ${name}: its workloads are stopping.`);
    await load();
  }

  async function created(made) {
    await load();
    // show where the new deployment's replicas land
    if (pg.live() && opened?.name !== made.name) toggle(made.name);
  }

  const form = admin ? deploymentForm(pg, created) : null;
  view.append(h('section', { testid: 'page-deployments' },
    heading('Deployments', `What runs on the nodes, and how many of its replicas are running; refreshed every ${REFRESH_MS / 1000} s. Open one to see its workloads.`),
    h('p', {}, count),
    listError, status.error, status.ok,
    h('div', { class: 'overflow-auto' }, h('table', { class: 'striped compact dense', testid: 'deployments-table' },
      h('thead', {}, h('tr', {}, ['Name', 'Kind', 'Replicas', 'Running', 'Runs', 'Node', 'Resources', 'Created', admin ? '' : null]
        .filter((t) => t != null).map((t) => h('th', {}, t)))),
      tbody)),
    detail,
    form?.el,
    logs.el));
  pg.every(REFRESH_MS, load);
}

function deploymentRow(d, { admin, open, remove }) {
  const name = d.name;
  const cells = {
    kind: h('td', {}),
    replicas: h('td', { class: 'num', testid: 'deployment-replicas-' + name }),
    running: h('span', { class: 'badge', testid: 'deployment-running-' + name }),
    runs: h('td', { class: 'runs', testid: 'deployment-runs-' + name }),
    node: h('td', { testid: 'deployment-node-' + name }),
    resources: h('td', {}),
    created: h('td', { class: 'muted' }),
  };
  const el = h('tr', { testid: 'deployment-row-' + name },
    h('td', {}, h('button', { type: 'button', class: 'linklike', testid: 'deployment-open-' + name,
      title: `Show the workloads of ${name}`, onclick: () => open(name) }, name)),
    cells.kind, cells.replicas, h('td', {}, cells.running), cells.runs, cells.node, cells.resources, cells.created,
    admin ? h('td', { class: 'actions' }, deleteControl(name, remove)) : null);
  return {
    el,
    update(next) {
      cells.kind.textContent = next.kind;
      cells.replicas.textContent = String(next.replicas);
      cells.running.textContent = `${next.running}/${next.replicas}`;
      cells.running.className = 'badge ' + (next.running >= next.replicas ? 'status-up'
        : next.running > 0 ? 'status-degraded' : 'status-down');
      cells.runs.replaceChildren(next.image ? h('span', {}, 'image ', h('code', {}, next.image))
        : h('code', { class: 'params' }, commandText(next.command)),
      Object.keys(next.env || {}).length ? chips(Object.keys(next.env).map((k) => k + '=…')) : '');
      cells.node.replaceChildren(next.node ? h('code', {}, next.node) : h('span', { class: 'muted' }, 'any'));
      cells.resources.textContent = resourcesText(next.resources);
      cells.created.textContent = [next.createdAt && timeOfDay(next.createdAt), next.createdBy && 'by ' + next.createdBy].filter(Boolean).join(' ');
    },
  };
}

/** "Delete", then "Delete <name>? Yes / Cancel" in place (the row is kept across refreshes). */
function deleteControl(name, remove) {
  const cell = h('span', {});
  const ask = () => cell.replaceChildren(
    h('span', { class: 'muted' }, `Delete ${name}? `),
    h('button', { type: 'button', class: 'small danger', testid: 'confirm-delete-deployment-' + name,
      onclick: () => { idle(); remove(name); } }, 'Yes, delete'),
    ' ',
    h('button', { type: 'button', class: 'small secondary outline', testid: 'cancel-delete-deployment-' + name, onclick: idle }, 'Cancel'));
  const idle = () => cell.replaceChildren(
    h('button', { type: 'button', class: 'small secondary outline', testid: 'delete-deployment-' + name, onclick: ask }, 'Delete'));
  idle();
  return cell;
}

/** A command line as one would type it: arguments with spaces or quotes in JSON quotes. */
function commandText(command) {
  return (command || []).map((a) => (a === '' || /[\s"'\\]/.test(a) ? JSON.stringify(a) : a)).join(' ');
}

/** "0.5 cores, 256 MiB", or "best effort" when nothing is reserved. */
function resourcesText(r) {
  if (!r || (!r.cpu && !r.memoryMb)) return 'best effort';
  return [r.cpu ? `${r.cpu} ${r.cpu === 1 ? 'core' : 'cores'}` : null, r.memoryMb ? `${r.memoryMb} MiB` : null]
    .filter(Boolean).join(', ');
}
