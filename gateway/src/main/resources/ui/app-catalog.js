// The catalog (end user, admin): every application, what it needs (sensor and controller
// bindings, models) and what it can be told (params); Run opens its wizard (app-wizard.js).
// Also what the Apps page and the wizard say about an app in a line.

import { listAll } from './api.js';
import { h, heading, chips } from './dom.js';

export function renderCatalogPage(view, pg) {
  const count = h('small', { class: 'muted', testid: 'catalog-count' });
  const error = h('p', { class: 'form-error', role: 'alert', testid: 'catalog-error', hidden: true });
  const cards = h('div', { class: 'cards catalog', testid: 'catalog-cards' });
  view.append(h('section', { testid: 'page-catalog' },
    heading('Catalog', 'Applications you can run: pick the sensors and controllers each should use, give its settings, start it now or on a schedule.'),
    h('p', {}, count),
    error,
    cards));

  listAll('/api/v1/apps').then((apps) => {
    if (!pg.live()) return;
    count.textContent = apps.length === 1 ? '1 application' : `${apps.length} applications`;
    cards.replaceChildren(...(apps.length ? apps.map(appCard)
      : [h('p', { class: 'muted', testid: 'catalog-none' }, 'No application has been published yet.')]));
  }).catch((e) => {
    if (!pg.live() || e.handled) return;
    error.textContent = 'Cannot list the applications: ' + e.detail;
    error.hidden = false;
  });
}

/** One app of the catalog: what it does and needs, and its Run button. */
function appCard(a) {
  const name = a.name;
  return h('article', { class: 'app-card', testid: 'catalog-row-' + name },
    h('header', {}, h('strong', { testid: 'catalog-name-' + name }, name), ' ', h('small', { class: 'muted' }, `v${a.version}`)),
    h('p', { testid: 'catalog-description-' + name }, a.description || h('span', { class: 'muted' }, 'no description')),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Devices'), h('dd', { testid: 'catalog-bindings-' + name }, chips(bindingTexts(a), 'none')),
      h('dt', {}, 'Models'), h('dd', { testid: 'catalog-models-' + name }, chips(a.models || [], 'none')),
      h('dt', {}, 'Settings'), h('dd', { testid: 'catalog-params-' + name }, chips(paramTexts(a.params), 'none'))),
    h('footer', {}, h('a', { role: 'button', href: runHref(name), testid: 'catalog-run-' + name }, 'Run…')));
}

/** "#/catalog/<name>": the app's Run wizard. */
export function runHref(name) {
  return '#/catalog/' + encodeURIComponent(name);
}

/** Every binding of an app, sensors first: {kind, name, type, min, max}. */
export function bindingsOf(app) {
  return [...(app.sensors || []).map((b) => ({ kind: 'sensor', ...b })),
    ...(app.controllers || []).map((b) => ({ kind: 'controller', ...b }))];
}

/** "exactly 1", "between 1 and 3", "up to 2": how many instances a binding takes. */
export function countText(b) {
  const min = b.min ?? 1;
  const max = b.max ?? 1;
  if (min === max) return `exactly ${min}`;
  return min === 0 ? `up to ${max}` : `between ${min} and ${max}`;
}

/** "probe: sensor probe ×1", "out: controller switch ×0..2". */
export function bindingTexts(app) {
  return bindingsOf(app).map((b) => {
    const min = b.min ?? 1;
    const max = b.max ?? 1;
    return `${b.name}: ${b.kind} ${b.type} ×${min === max ? min : `${min}..${max}`}`;
  });
}

/** "greeting: string = "hi"". */
export function paramTexts(params) {
  return (params || []).map((p) => `${p.name}: ${p.type}` + (p.default !== undefined && p.default !== null ? ` = ${JSON.stringify(p.default)}` : ''));
}

/** "every '*\/10 * * * * ?', 4 s each, from … until …", "once at …", or that it runs until stopped. */
export function scheduleText(s) {
  if (!s) return 'none: it runs until it is stopped';
  const cron = typeof s.cron === 'string' ? s.cron : s.cron?.expression;
  const parts = [s.cron ? `cron '${cron ?? JSON.stringify(s.cron)}'` : `once at ${new Date(s.at).toLocaleString()}`];
  if (s.durationSeconds) parts.push(`${s.durationSeconds} s each run`);
  if (s.start) parts.push(`from ${new Date(s.start).toLocaleString()}`);
  if (s.end) parts.push(`until ${new Date(s.end).toLocaleString()}`);
  return parts.join(', ');
}
