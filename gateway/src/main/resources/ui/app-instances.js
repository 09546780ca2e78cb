// App instances: "My instances" (an end user's; an admin sees everyone's), and the table of them
// the Apps page shows a developer (the instances of their apps). Each row opens the instance's
// own view (app-instance.js); end users and admins may stop one from here.

import { api, listAll, query, session } from './api.js';
import { h, heading, setBadge, statusBadge, busy, liveRows, timeOfDay } from './dom.js';
import { formFeedback } from './forms.js';

const REFRESH_MS = 2000;
/** Who may start and stop app instances (API.md: instances are for end users and admins). */
export const RUNNERS = ['admin', 'end-user'];

export function renderInstancesPage(view, pg) {
  const admin = session()?.role === 'admin';
  const table = instanceTable(pg, {
    owner: admin,
    stop: true,
    empty: admin ? 'No app instance is running or scheduled.' : 'You have no app instance: start one from the Catalog.',
  });
  view.append(h('section', { testid: 'page-instances' },
    heading(admin ? 'App instances' : 'My instances',
      `${admin ? 'Every' : 'Each'} application instance ${admin ? 'on the platform' : 'you started'}: where it runs and how it is doing; refreshed every ${REFRESH_MS / 1000} s.`),
    table.el));
  table.start();
}

/** "#/instances/<id>": an instance's own view. */
export function instanceHref(id) {
  return '#/instances/' + encodeURIComponent(id);
}

/** "in 4 s", "3 s ago" or the time of day of an ISO instant; '' for none. */
export function whenText(iso) {
  if (!iso) return '';
  const ms = Date.parse(iso) - Date.now();
  if (!Number.isFinite(ms)) return String(iso);
  if (Math.abs(ms) >= 60_000) return timeOfDay(iso);
  const s = Math.round(Math.abs(ms) / 1000);
  return ms >= 0 ? `in ${s} s` : `${s} s ago`;
}

/**
 * A live table of app instances (GET /api/v1/app-instances, `app` to ask for one app's): id
 * (opening its view), app, `owner` column, status, node, restarts, next run, and with `stop` a
 * Stop button that asks to confirm. `start()` begins refreshing. testids: `app-instances-rows`,
 * `app-instance-row-<id>`, `app-instance-status-<id>`, `app-instance-node-<id>`,
 * `app-instance-restarts-<id>`, `app-instance-next-<id>`, `app-instance-stop-<id>`,
 * `app-instance-confirm-stop-<id>`, `app-instances-action-ok|error`.
 */
export function instanceTable(pg, { app, owner, stop, empty }) {
  const count = h('small', { class: 'muted', testid: 'app-instances-count' });
  const error = h('p', { class: 'form-error', role: 'alert', testid: 'app-instances-error', hidden: true });
  const action = formFeedback('app-instances-action');
  const tbody = h('tbody', { testid: 'app-instances-rows' });
  const columns = ['ID', 'App', owner ? 'Owner' : null, 'Status', 'Node', 'Restarts', 'Next run', 'Started', stop ? '' : null]
    .filter((t) => t != null);
  const rows = liveRows(tbody, {
    key: (i) => i.id,
    make: (i) => instanceRow(i, { owner, stop: stop ? remove : null }),
    empty: () => h('tr', {}, h('td', { colspan: columns.length, class: 'muted', testid: 'app-instances-none' }, empty)),
  });

  async function load() {
    try {
      const list = await listAll('/api/v1/app-instances' + query({ app }));
      if (!pg.live()) return;
      error.hidden = true;
      count.textContent = list.length === 1 ? '1 instance' : `${list.length} instances`;
      rows.show(list);
    } catch (e) {
      if (!pg.live() || e.handled) return;
      error.textContent = 'Cannot list the app instances: ' + e.detail;
      error.hidden = false;
    }
  }

  async function remove(id, button) {
    busy(button, true);
    const ok = await action.run(() => new Map(), () => api('DELETE', '/api/v1/app-instances/' + encodeURIComponent(id)), pg);
    busy(button, false);
    if (!ok || !pg.live()) return ok;
    action.done(`Stopping ${id}: it leaves the list once it has stopped.`);
    load();
    return true;
  }

  const el = h('div', { class: 'app-instances-panel' },
    h('p', {}, count),
    error, action.error, action.ok,
    h('div', { class: 'overflow-auto' }, h('table', { class: 'striped compact dense', testid: 'app-instances-table' },
      h('thead', {}, h('tr', {}, columns.map((t) => h('th', {}, t)))),
      tbody)));
  return { el, load, start: () => pg.every(REFRESH_MS, load) };
}

function instanceRow(i, { owner, stop }) {
  const id = i.id;
  const cells = {
    app: h('td', { testid: 'app-instance-app-' + id }),
    owner: h('td', { testid: 'app-instance-owner-' + id }),
    node: h('td', { testid: 'app-instance-node-' + id }),
    restarts: h('td', { class: 'num', testid: 'app-instance-restarts-' + id }),
    next: h('td', { class: 'time', testid: 'app-instance-next-' + id }),
    created: h('td', { class: 'time' }),
  };
  const badge = statusBadge(i.status, 'app-instance-status-' + id);
  const el = h('tr', { testid: 'app-instance-row-' + id },
    h('td', {}, h('a', { href: instanceHref(id), testid: 'app-instance-open-' + id }, h('code', {}, id))),
    cells.app, owner ? cells.owner : null,
    h('td', {}, badge),
    cells.node, cells.restarts, cells.next, cells.created,
    stop ? h('td', { class: 'actions' }, stopControls(id, stop)) : null);
  return {
    el,
    update(next) {
      cells.app.textContent = `${next.app} v${next.version}`;
      cells.owner.textContent = next.owner || '';
      setBadge(badge, next.status);
      cells.node.textContent = next.node || '—';
      cells.restarts.textContent = String(next.restarts ?? 0);
      cells.next.textContent = whenText(next.nextRun) || '—';
      cells.created.textContent = next.createdAt ? timeOfDay(next.createdAt) : '';
    },
  };
}

/**
 * Stop, then "Yes, stop" / "Cancel" (stopping removes the instance); `stop(id, button)` answers
 * whether the API took it, and the controls then say "stopping…". testids:
 * `app-instance-stop-<id>`, `app-instance-confirm-stop-<id>`, `app-instance-cancel-stop-<id>`.
 */
export function stopControls(id, stop) {
  const box = h('span', { class: 'stop-controls' });
  const idle = () => box.replaceChildren(h('button', { type: 'button', class: 'small secondary outline',
    testid: 'app-instance-stop-' + id, onclick: ask }, 'Stop'));
  function ask() {
    const yes = h('button', { type: 'button', class: 'small danger', testid: 'app-instance-confirm-stop-' + id,
      onclick: async () => {
        if (await stop(id, yes)) box.replaceChildren(h('small', { class: 'muted', testid: 'app-instance-stopping-' + id }, 'stopping…'));
      } }, 'Yes, stop');
    box.replaceChildren(yes, ' ',
      h('button', { type: 'button', class: 'small secondary outline', testid: 'app-instance-cancel-stop-' + id, onclick: idle }, 'Cancel'));
  }
  idle();
  return box;
}
