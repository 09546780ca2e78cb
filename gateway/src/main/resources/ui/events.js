// Events (admin, platform configurer): what happened on the platform, newest on top. New events
// come over SSE (GET /api/v1/events/stream?access_token=, since an EventSource cannot send
// headers); each time the stream (re)opens, GET /api/v1/events fills in what came before.

import { api } from './api.js';
import { h, heading, clock, setBadge } from './dom.js';
import { follow } from './stream.js';

const KEEP = 300; // events kept on the page (the oldest go first)

/** Event kinds by how they read: trouble, things going well, and changes of plan. */
const TONE = {
  failed: 'bad', 'node-not-ready': 'bad', 'node-lost': 'bad', pending: 'bad',
  started: 'good', placed: 'good', deployed: 'good', adopted: 'good', 'node-joined': 'good', 'node-ready': 'good', undrained: 'good',
  restarted: 'warn', rescheduled: 'warn', draining: 'warn', stopped: 'warn', removed: 'warn', undeployed: 'warn',
};

export function renderEventsPage(view, pg) {
  const state = h('span', { testid: 'events-stream' });
  const count = h('small', { class: 'muted', testid: 'events-count' });
  const error = h('p', { class: 'form-error', role: 'alert', testid: 'events-error', hidden: true });
  const filter = h('input', { type: 'search', testid: 'events-filter', placeholder: 'filter: kind, subject or text',
    'aria-label': 'filter events', autocomplete: 'off' });
  const tbody = h('tbody', { testid: 'events-rows' });
  const feed = eventFeed(tbody, KEEP, () => {
    count.textContent = `${feed.size()} ${feed.size() === 1 ? 'event' : 'events'} (the newest ${KEEP} at most)`;
  });
  setBadge(state, 'connecting');
  filter.addEventListener('input', () => feed.filter(filter.value));

  view.append(h('section', { testid: 'page-events' },
    heading('Events', 'What happened on the platform — deployments, placements, failures, restarts, nodes — newest first, live.'),
    h('p', { class: 'overall' }, state, ' ', count),
    error,
    filter,
    h('div', { class: 'overflow-auto' }, h('table', { class: 'striped compact dense events', testid: 'events-table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Time'), h('th', {}, 'Kind'), h('th', {}, 'Subject'), h('th', {}, 'Message'))),
      tbody))));

  const fail = (text) => {
    error.textContent = text;
    error.hidden = false;
  };
  follow(pg, {
    path: '/api/v1/events/stream',
    event: 'event',
    check: '/api/v1/events?limit=1',
    missed: 'the earlier events',
    name: 'The event stream',
    onItem: (e) => feed.add(e, true),
    async onOpen() {
      error.hidden = true;
      const history = await api('GET', `/api/v1/events?limit=${KEEP}`);
      if (pg.live()) history.forEach((e) => feed.add(e, false));
    },
    onState: (s) => setBadge(state, s),
    onFail: fail,
  });
}

/**
 * The rows of the feed, newest first by time, without duplicates (history and stream overlap),
 * at most `keep` of them. `changed()` is called after each change.
 */
function eventFeed(tbody, keep, changed) {
  const items = []; // {t, key, el}, newest first
  const keys = new Set();
  let words = '';
  const matches = (el) => !words || el.dataset.text.includes(words);
  return {
    size: () => items.length,
    /** Adds event `e`; `fresh` marks it as just arrived (it is highlighted for a moment). */
    add(e, fresh) {
      const key = [e.ts, e.kind, e.subject, e.message].join('\u0000');
      if (keys.has(key)) return;
      const t = Date.parse(e.ts) || 0;
      let i = 0;
      while (i < items.length && items[i].t >= t) i++;
      if (i >= keep) return; // older than everything kept
      const el = eventRow(e, fresh);
      el.hidden = !matches(el);
      tbody.insertBefore(el, items[i]?.el || null);
      items.splice(i, 0, { t, key, el });
      keys.add(key);
      while (items.length > keep) {
        const old = items.pop();
        keys.delete(old.key);
        old.el.remove();
      }
      changed();
    },
    /** Shows only the rows whose kind, subject or message contains `text` (any case). */
    filter(text) {
      words = text.trim().toLowerCase();
      items.forEach(({ el }) => { el.hidden = !matches(el); });
    },
  };
}

function eventRow(e, fresh) {
  const tone = TONE[e.kind] || 'info';
  const el = h('tr', { testid: 'event-row', class: fresh ? 'fresh' : null, 'data-kind': e.kind, 'data-subject': e.subject },
    h('td', { class: 'time' }, clock(e.ts)),
    h('td', {}, h('span', { class: 'event-kind tone-' + tone, testid: 'event-kind' }, e.kind)),
    h('td', {}, h('code', { testid: 'event-subject' }, e.subject)),
    h('td', { testid: 'event-message' }, e.message));
  el.dataset.text = [e.kind, e.subject, e.message].join(' ').toLowerCase();
  return el;
}

