// Nodes (admin, platform configurer): each machine's status, runtime, labels, workloads and live
// CPU and memory load from GET /api/v1/nodes, polled while the page is on screen; an admin can
// drain a node (its workloads move elsewhere) and undrain it.

import { api, session } from './api.js';
import { h, heading, chips, statusBadge, setBadge, ago, busy, liveRows, meter, timeOfDay } from './dom.js';
import { formFeedback } from './forms.js';

const REFRESH_MS = 1500;

export function renderNodesPage(view, pg) {
  const admin = session()?.role === 'admin';
  const listError = h('p', { class: 'form-error', role: 'alert', testid: 'nodes-error', hidden: true });
  const status = formFeedback('node-action');
  const updated = h('small', { class: 'muted', testid: 'nodes-updated' });
  const count = h('small', { class: 'muted', testid: 'nodes-count' });
  const tbody = h('tbody', { testid: 'nodes-rows' });
  const table = liveRows(tbody, {
    key: (n) => n.name,
    make: (n) => nodeRow(n, admin, setDrain),
    empty: () => h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No node has joined yet: start a node agent.')),
  });

  async function load() {
    try {
      const nodes = await api('GET', '/api/v1/nodes');
      if (!pg.live()) return;
      listError.hidden = true;
      count.textContent = nodes.length === 1 ? '1 node' : `${nodes.length} nodes`;
      updated.textContent = 'updated ' + new Date().toLocaleTimeString();
      table.show(nodes);
    } catch (e) {
      if (!pg.live() || e.handled) return;
      listError.textContent = 'Cannot list the nodes: ' + e.detail;
      listError.hidden = false;
    }
  }

  async function setDrain(name, drain, button) {
    busy(button, true);
    const ok = await status.run(() => new Map(), () => api('POST', `/api/v1/nodes/${encodeURIComponent(name)}/${drain ? 'drain' : 'undrain'}`), pg);
    busy(button, false);
    if (!ok || !pg.live()) return;
    status.done(drain ? `${name} is draining: its workloads move to other nodes.` : `${name} takes workloads again.`);
    await load();
  }

  view.append(h('section', { testid: 'page-nodes' },
    heading('Nodes', `The machines that run workloads, with their load, refreshed every ${REFRESH_MS / 1000} s.`),
    h('p', { class: 'overall' }, count, ' ', updated),
    listError, status.error, status.ok,
    h('div', { class: 'overflow-auto' }, h('table', { class: 'striped compact dense nodes', testid: 'nodes-table' },
      h('thead', {}, h('tr', {}, ['Node and runtime', 'Status', 'CPU', 'Memory', 'Workloads', 'Reported', admin ? '' : null]
        .filter((t) => t != null).map((t) => h('th', {}, t)))),
      tbody))));
  pg.every(REFRESH_MS, load);
}

/** One node's row, updated in place on each refresh. */
function nodeRow(n, admin, setDrain) {
  const id = n.name;
  const badge = statusBadge(n.status, 'node-status-' + id);
  const since = h('small', { class: 'muted' });
  const runtime = h('small', { class: 'muted', testid: 'node-runtime-' + id, title: 'runtime' });
  const labels = h('div', {});
  const cpu = meter('node-cpu-' + id, `CPU load of ${id}`);
  const memory = meter('node-memory-' + id, `memory use of ${id}`);
  const workloads = h('a', { testid: 'node-workloads-' + id, href: `#/workloads?node=${encodeURIComponent(id)}`,
    title: `the workloads on ${id}` });
  const reported = h('td', { class: 'muted', testid: 'node-reported-' + id });
  const drain = admin ? h('button', { type: 'button', class: 'small secondary outline', testid: 'node-drain-' + id }) : null;
  let draining = false;
  if (drain) drain.addEventListener('click', () => setDrain(id, !draining, drain));

  const el = h('tr', { testid: 'node-row-' + id },
    h('td', {}, h('strong', { testid: 'node-name' }, id), ' ', runtime, labels),
    h('td', { class: 'node-status' }, badge, h('br'), since),
    h('td', { class: 'meter-cell' }, cpu.el),
    h('td', { class: 'meter-cell' }, memory.el),
    h('td', { class: 'num' }, workloads),
    reported,
    drain && h('td', { class: 'actions' }, drain));

  return {
    el,
    update(node) {
      setBadge(badge, node.status);
      since.textContent = node.statusSince ? 'since ' + timeOfDay(node.statusSince) : '';
      runtime.textContent = node.runtime || '';
      labels.replaceChildren(node.labels?.length ? chips(node.labels) : '');
      const cpus = node.cpus || 0;
      cpu.set(node.cpuLoad, `${Math.round((node.cpuLoad || 0) * 100)} % of ${cpus} ${cpus === 1 ? 'core' : 'cores'}`);
      memory.set(node.memoryTotalMb ? node.memoryUsedMb / node.memoryTotalMb : 0,
        `${mebibytes(node.memoryUsedMb)} / ${mebibytes(node.memoryTotalMb)}`);
      workloads.textContent = String(node.workloads ?? 0);
      reported.textContent = node.reportedAt ? ago(node.reportedAt) : 'no report yet';
      draining = node.status === 'DRAINING';
      if (drain && !drain.disabled) {
        drain.textContent = draining ? 'Undrain' : 'Drain';
        drain.title = draining ? `Let ${id} take workloads again` : `Move the workloads off ${id} and place no new ones there`;
      }
    },
  };
}

/** "512 MiB", "1.5 GiB". */
function mebibytes(mb) {
  const n = Number(mb) || 0;
  return n >= 1024 ? `${(n / 1024).toFixed(1)} GiB` : `${n} MiB`;
}
