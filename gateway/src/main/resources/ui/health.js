// Health (every role): the platform services and their heartbeats, refreshed while on screen.

import { api } from './api.js';
import { h, setBadge, statusBadge, ago } from './dom.js';

const HEALTH_REFRESH_MS = 2000;

export function renderHealth(view, pg) {
  const overall = h('span', { testid: 'health-status', class: 'badge', 'aria-busy': 'true' });
  const updated = h('small', { class: 'muted', testid: 'health-updated' });
  const error = h('p', { class: 'form-error', role: 'alert', testid: 'health-error', hidden: true });
  const rows = h('tbody', { testid: 'health-services' });
  view.append(h('section', { testid: 'page-health' },
    h('hgroup', {}, h('h2', {}, 'Health'), h('p', {}, 'Platform services and their heartbeats, refreshed every 2 s.')),
    h('p', { class: 'overall' }, 'Platform ', overall, ' ', updated),
    error,
    h('div', { class: 'overflow-auto' }, h('table', { class: 'striped', testid: 'health-table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Service'), h('th', {}, 'Status'), h('th', {}, 'Instances'))),
      rows))));

  pg.every(HEALTH_REFRESH_MS, async () => {
    try {
      const report = await api('GET', '/api/v1/health');
      if (!pg.live()) return;
      error.hidden = true;
      overall.removeAttribute('aria-busy');
      setBadge(overall, report.status);
      updated.textContent = 'updated ' + new Date().toLocaleTimeString();
      rows.replaceChildren(...(report.services || []).map(serviceRow));
    } catch (e) {
      if (!pg.live() || e.handled) return;
      error.textContent = 'Cannot read the health report: ' + e.detail;
      error.hidden = false;
    }
  });
}

function serviceRow(service) {
  const instances = service.instances || [];
  return h('tr', { testid: 'health-service-' + service.name },
    h('td', { testid: 'health-name' }, service.name),
    h('td', {}, statusBadge(service.status, 'health-status-' + service.name)),
    h('td', { class: 'instances' }, instances.length === 0 ? h('span', { class: 'muted' }, 'none')
      : h('ul', {}, instances.map((i) => h('li', {},
        h('code', {}, i.instance), i.node ? ` on ${i.node}` : '',
        i.status && i.status !== service.status ? ` · ${i.status}` : '',
        i.lastSeen ? h('span', { class: 'muted' }, ` · seen ${ago(i.lastSeen)}`) : '')))));
}
