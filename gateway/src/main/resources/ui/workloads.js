// Workloads (admin, platform configurer): the replicas of every deployment and the platform's
// own services, where each runs and how it is doing, refreshed live; filters by deployment and
// node (also from the page's address, #/workloads?deployment=&node=); the logs of one workload.

import { listAll, query } from './api.js';
import { h, heading, statusBadge, setBadge, liveRows, timeOfDay } from './dom.js';
import { select, setOptions } from './forms.js';
import { logsBox } from './logs.js';

const REFRESH_MS = 2000;
const LOG_LINES = 200;

export function renderWorkloadsPage(view, pg) {
  const initial = new URLSearchParams(location.hash.split('?')[1] || '');
  const logs = logsDialog();
  const table = workloadTable(pg, logs, {
    filters: { deployment: initial.get('deployment') || '', node: initial.get('node') || '' },
    // keep the filters in the address (without a new history entry or a re-render), so a reload keeps them
    onFilter: (f) => history.replaceState(null, '', '#/workloads' + query(f)),
  });
  view.append(h('section', { testid: 'page-workloads' },
    heading('Workloads', `Every replica of every deployment and the platform's services, refreshed every ${REFRESH_MS / 1000} s.`),
    table.el,
    logs.el));
  table.start();
}

/**
 * A live table of workloads with a Logs button per row. With `deployment`, only that
 * deployment's (asked of the API) and no filters; else `filters` {deployment, node} are the
 * initial choices of the filter selects. `start()` begins refreshing, `stop()` ends it (the page
 * closing ends it too). testids: `workloads-rows`, `workload-row-<id>`, `workload-status-<id>`.
 */
export function workloadTable(pg, logs, { deployment, filters, onFilter }) {
  const chosen = { deployment: filters?.deployment || '', node: filters?.node || '' };
  const byDeployment = select({ testid: 'workloads-filter-deployment', 'aria-label': 'deployment' }, [['', 'every deployment']]);
  const byNode = select({ testid: 'workloads-filter-node', 'aria-label': 'node' }, [['', 'every node']]);
  const count = h('small', { class: 'muted', testid: 'workloads-count' });
  const error = h('p', { class: 'form-error', role: 'alert', testid: 'workloads-error', hidden: true });
  const tbody = h('tbody', { testid: 'workloads-rows' });
  const rows = liveRows(tbody, {
    key: (w) => w.id,
    make: (w) => workloadRow(w, logs, !deployment),
    empty: () => h('tr', {}, h('td', { colspan: 9, class: 'muted', testid: 'workloads-none' }, 'No workload matches.')),
  });
  let stopped = false;
  let last = [];

  for (const [sel, key] of [[byDeployment, 'deployment'], [byNode, 'node']]) {
    setOptions(sel, chosen[key] ? [chosen[key]] : [], 1);
    sel.value = chosen[key];
    sel.addEventListener('change', () => {
      chosen[key] = sel.value;
      onFilter?.({ ...chosen });
      show();
    });
  }

  function show() {
    const shown = last.filter((w) => (!chosen.deployment || w.deployment === chosen.deployment)
      && (!chosen.node || w.node === chosen.node));
    const noun = last.length === 1 ? 'workload' : 'workloads';
    count.textContent = shown.length === last.length ? `${shown.length} ${noun}` : `${shown.length} of ${last.length} ${noun}`;
    rows.show(shown);
  }

  async function load() {
    try {
      const list = await listAll('/api/v1/workloads' + query({ deployment }));
      if (!pg.live() || stopped) return;
      error.hidden = true;
      last = list;
      // the filters offer what there is (and keep a choice that has nothing right now)
      const values = (k) => [...new Set([...list.map((w) => w[k]).filter(Boolean), chosen[k]].filter(Boolean))].sort();
      setOptions(byDeployment, values('deployment'), 1);
      setOptions(byNode, values('node'), 1);
      show();
    } catch (e) {
      if (!pg.live() || stopped || e.handled) return;
      error.textContent = 'Cannot list the workloads: ' + e.detail;
      error.hidden = false;
    }
  }

  async function tick() {
    if (stopped) return;
    await load();
    if (!stopped) pg.after(REFRESH_MS, tick);
  }

  const el = h('div', { class: 'workloads-panel' },
    deployment ? null : h('div', { class: 'filter-row filters', testid: 'workloads-filters' },
      h('span', { class: 'filter-group' }, byDeployment), h('span', { class: 'filter-group' }, byNode)),
    h('p', {}, count),
    error,
    h('div', { class: 'overflow-auto' }, h('table', { class: 'striped compact dense', testid: 'workloads-table' },
      h('thead', {}, h('tr', {}, ['ID', deployment ? null : 'Deployment', 'Kind', 'Node', 'Status', 'Restarts', 'Message', 'Since', '']
        .filter((t) => t != null).map((t) => h('th', {}, t)))),
      tbody)));
  return { el, start: tick, stop: () => { stopped = true; } };
}

function workloadRow(w, logs, withDeployment) {
  const id = w.id;
  const cells = {
    deployment: h('td', {}),
    kind: h('td', {}),
    node: h('td', { testid: 'workload-node-' + id }),
    restarts: h('td', { class: 'num', testid: 'workload-restarts-' + id }),
    message: h('td', { class: 'message', testid: 'workload-message-' + id }),
    since: h('td', { class: 'time' }),
  };
  const badge = statusBadge(w.status, 'workload-status-' + id);
  let current = w;
  const el = h('tr', { testid: 'workload-row-' + id },
    h('td', {}, h('code', {}, id)),
    withDeployment ? cells.deployment : null, cells.kind, cells.node,
    h('td', {}, badge),
    cells.restarts, cells.message, cells.since,
    h('td', { class: 'actions' }, h('button', { type: 'button', class: 'small secondary outline', testid: 'workload-logs-' + id,
      onclick: () => logs.open(current) }, 'Logs')));
  return {
    el,
    update(next) {
      current = next;
      cells.deployment.textContent = next.deployment;
      cells.kind.textContent = next.kind;
      cells.node.textContent = next.node || '—';
      setBadge(badge, next.status);
      cells.restarts.textContent = String(next.restarts ?? 0);
      cells.message.textContent = next.message || '';
      cells.since.textContent = next.since ? timeOfDay(next.since) : '';
    },
  };
}

/**
 * The logs of one workload in a modal dialog: the last LOG_LINES lines, monospace and
 * scrollable, with a refresh button. testids: `logs-dialog`, `logs-title`, `logs-close`, and
 * those of logsBox.
 */
export function logsDialog() {
  let workload = null;
  const box = logsBox({ lines: LOG_LINES, what: () => workload.id,
    path: () => `/api/v1/workloads/${encodeURIComponent(workload.id)}/logs?tail=${LOG_LINES}` });
  const title = h('strong', { testid: 'logs-title' });
  const close = h('button', { type: 'button', class: 'small secondary outline', testid: 'logs-close', onclick: () => dialog.close() }, 'Close');
  const dialog = h('dialog', { testid: 'logs-dialog', class: 'logs-dialog' },
    h('article', {},
      h('header', { class: 'live-head' }, title),
      box.error,
      box.text,
      h('footer', { class: 'form-foot' }, box.info, box.refresh, close)));

  return {
    el: dialog,
    /** Shows the dialog for workload `w` ({id, node, ...}) and reads its logs. */
    open(w) {
      workload = w;
      title.textContent = `Logs of ${w.id}` + (w.node ? ` on ${w.node}` : '');
      box.clear();
      if (!dialog.open) dialog.showModal();
      box.load();
    },
  };
}
