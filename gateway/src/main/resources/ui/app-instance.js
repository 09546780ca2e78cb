// One app instance (#/instances/{id}; its owner, an admin, the app's developer): what it is and
// how it is doing, refreshed every 2 s; its outputs, live (the latest from GET .../outputs, new
// ones over SSE); the runs of its schedule; its logs. Its owner and admins may stop it here.

import { api, session } from './api.js';
import { h, chips, clock, setBadge, busy, timeOfDay } from './dom.js';
import { formFeedback } from './forms.js';
import { RUNNERS, stopControls, whenText } from './app-instances.js';
import { scheduleText } from './app-catalog.js';
import { logsBox } from './logs.js';
import { follow } from './stream.js';

const REFRESH_MS = 2000;
const OUTPUTS = 100;   // outputs asked for when the stream (re)opens, and kept on the page
const LOG_LINES = 200;

export function renderInstanceView(view, pg, id, back) {
  document.title = `${id} · Lattice`;
  const path = '/api/v1/app-instances/' + encodeURIComponent(id);
  const f = {
    app: h('dd', { testid: 'instance-app' }),
    owner: h('dd', { testid: 'instance-owner' }),
    status: h('span', { testid: 'instance-status' }),
    node: h('dd', { testid: 'instance-node' }),
    restarts: h('dd', { testid: 'instance-restarts' }),
    bindings: h('dd', { testid: 'instance-bindings' }),
    params: h('dd', { testid: 'instance-params' }),
    schedule: h('dd', { testid: 'instance-schedule' }),
    next: h('dd', { testid: 'instance-next-run' }),
    created: h('dd', { testid: 'instance-created' }),
  };
  const updated = h('small', { class: 'muted', testid: 'instance-updated' });
  const error = h('p', { class: 'form-error', role: 'alert', testid: 'instance-error', hidden: true });
  const action = formFeedback('instance-action');
  const runs = h('div', { testid: 'instance-runs' });
  const outputs = outputsPanel(pg, path);
  const logs = logsBox({ lines: LOG_LINES, what: () => id, path: () => `${path}/logs?tail=${LOG_LINES}` });
  const stop = RUNNERS.includes(session()?.role) ? stopControls(id, async (_, button) => {
    busy(button, true);
    const ok = await action.run(() => new Map(), () => api('DELETE', path), pg);
    busy(button, false);
    if (ok && pg.live()) location.hash = back;
    return ok;
  }) : null;
  let running = false;

  async function load() {
    try {
      const i = await api('GET', path);
      if (!pg.live()) return;
      error.hidden = true;
      show(f, i);
      runs.replaceChildren(runsTable(i));
      updated.textContent = 'updated ' + new Date().toLocaleTimeString([], { hour12: false });
      // the log is there once it runs: read it then (and whenever Refresh is pressed)
      if (i.status === 'RUNNING' && !running) logs.load();
      running = i.status === 'RUNNING';
    } catch (e) {
      if (!pg.live() || e.handled) return;
      error.textContent = `Cannot read the app instance ${id}: ${e.detail}`;
      error.hidden = false;
    }
  }

  view.append(h('section', { testid: 'page-instance' },
    h('p', {}, h('a', { href: back, testid: 'back' }, '← all instances')),
    h('hgroup', {}, h('h2', {}, 'App instance ', h('code', { testid: 'instance-id' }, id)),
      h('p', {}, `Its status (refreshed every ${REFRESH_MS / 1000} s), its outputs live, its runs and its logs.`)),
    error,
    h('dl', { class: 'facts' },
      h('dt', {}, 'App'), f.app,
      h('dt', {}, 'Owner'), f.owner,
      h('dt', {}, 'Status'), h('dd', { class: 'live-head' }, f.status, updated),
      h('dt', {}, 'Node'), f.node,
      h('dt', {}, 'Restarts'), f.restarts,
      h('dt', {}, 'Bindings'), f.bindings,
      h('dt', {}, 'Params'), f.params,
      h('dt', {}, 'Schedule'), f.schedule,
      h('dt', {}, 'Next run'), f.next,
      h('dt', {}, 'Started'), f.created),
    stop ? h('div', { class: 'form-foot instance-actions' }, stop, action.error, action.ok) : null,
    outputs.el,
    h('h3', {}, 'Runs'),
    runs,
    h('article', { class: 'panel' },
      h('header', { class: 'live-head' }, h('strong', {}, 'Logs'), logs.info, logs.refresh),
      logs.error,
      logs.text)));
  setBadge(f.status, 'connecting');
  logs.text.textContent = '(read once it runs)';
  logs.text.classList.add('muted');
  pg.every(REFRESH_MS, load);
}

function show(f, i) {
  f.app.replaceChildren(h('code', {}, i.app), ` version ${i.version}`);
  f.owner.textContent = i.owner || '';
  setBadge(f.status, i.status);
  f.node.textContent = i.node || '—';
  f.restarts.textContent = String(i.restarts ?? 0);
  f.bindings.replaceChildren(chips(Object.entries(i.bindings || {}).map(([b, ids]) => `${b}: ${ids.join(', ') || '—'}`)));
  f.params.replaceChildren(chips(Object.entries(i.params || {}).map(([k, v]) => `${k}=${JSON.stringify(v)}`)));
  f.schedule.textContent = scheduleText(i.schedule);
  f.next.textContent = i.nextRun ? `${timeOfDay(i.nextRun)} (${whenText(i.nextRun)})` : '—';
  f.created.textContent = i.createdAt ? new Date(i.createdAt).toLocaleString() : '';
}

/** The schedule's latest runs, newest first: when each was due, when it started and how late. */
function runsTable(i) {
  if (!i.schedule) return h('p', { class: 'muted', testid: 'runs-none' }, 'Not scheduled: one run, until it is stopped.');
  const list = [...(i.runs || [])].reverse();
  if (!list.length) return h('p', { class: 'muted', testid: 'runs-none' }, 'No run yet.');
  return h('div', { class: 'overflow-auto' }, h('table', { class: 'striped compact', testid: 'runs-table' },
    h('thead', {}, h('tr', {}, ['Scheduled', 'Started', 'Lateness', 'Catch-up', 'Stopped', 'Why'].map((t) => h('th', {}, t)))),
    h('tbody', { testid: 'runs-rows' }, list.map((r) => h('tr', { testid: 'run-row' },
      h('td', { class: 'time', testid: 'run-scheduled' }, r.scheduledAt ? clock(r.scheduledAt) : ''),
      h('td', { class: 'time' }, r.startedAt ? clock(r.startedAt) : ''),
      h('td', { class: 'num', testid: 'run-lateness' }, r.latenessMs != null ? `${r.latenessMs} ms` : ''),
      h('td', {}, r.catchUp ? 'yes' : ''),
      h('td', { class: 'time' }, r.stoppedAt ? clock(r.stoppedAt) : ''),
      h('td', {}, r.stopReason || ''))))));
}

/**
 * The instance's outputs, newest first: the latest OUTPUTS when the stream opens, then each new
 * one as it comes. testids: `outputs-stream` (its state), `outputs-count`, `outputs-rows`,
 * `output-row` (with `output-time`, `output-value`), `outputs-error`.
 */
function outputsPanel(pg, path) {
  const state = h('span', { testid: 'outputs-stream' });
  const received = h('strong', { testid: 'outputs-count' }, '0');
  const rows = h('tbody', { testid: 'outputs-rows' });
  const error = h('p', { class: 'form-error', role: 'alert', testid: 'outputs-error', hidden: true });
  const none = h('tr', { testid: 'outputs-none' }, h('td', { colspan: 2, class: 'muted' }, 'No output yet.'));
  const items = []; // newest first: {t, key, el}
  const keys = new Set();
  let count = 0;
  setBadge(state, 'connecting');
  rows.append(none);

  function add(o) {
    const key = o.ts + JSON.stringify(o.value);
    if (keys.has(key)) return;
    const t = Date.parse(o.ts);
    let at = 0;
    while (at < items.length && items[at].t > t) at++;
    if (items.length >= OUTPUTS && at === items.length) return; // older than everything kept
    keys.add(key);
    none.remove();
    const el = h('tr', { testid: 'output-row' },
      h('td', { class: 'time', testid: 'output-time' }, clock(o.ts)),
      h('td', {}, h('code', { class: 'params', testid: 'output-value' }, JSON.stringify(o.value))));
    rows.insertBefore(el, items[at]?.el || null);
    items.splice(at, 0, { t, key, el });
    while (items.length > OUTPUTS) {
      const gone = items.pop();
      keys.delete(gone.key);
      gone.el.remove();
    }
  }

  follow(pg, {
    path: `${path}/outputs/stream`,
    event: 'output',
    check: path,
    missed: 'the latest outputs',
    name: 'The output stream',
    onItem(o) {
      received.textContent = String(++count);
      add(o);
    },
    async onOpen() {
      error.hidden = true;
      const latest = await api('GET', `${path}/outputs?limit=${OUTPUTS}`);
      if (pg.live()) latest.forEach(add);
    },
    onState: (s) => setBadge(state, s),
    onFail(text) {
      error.textContent = text;
      error.hidden = false;
    },
  });

  return {
    el: h('article', { class: 'panel' },
      h('header', { class: 'live-head' }, h('strong', {}, 'Outputs'), state,
        h('small', { class: 'muted' }, received, ' received live · newest first')),
      error,
      h('div', { class: 'overflow-auto outputs' }, h('table', { class: 'striped compact', testid: 'outputs-table' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Time'), h('th', {}, 'Value'))),
        rows))),
  };
}
