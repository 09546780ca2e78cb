// Run an app (#/catalog/{name}; end user, admin): for each of its sensor and controller bindings,
// the candidate instances of the binding's type (filtered by location, distance and an
// attribute) to tick; a form of its params, defaults filled in; an optional schedule. Submitting
// creates the instance and opens it; the API's problem is shown next to what it is about.

import { api, listAll, query } from './api.js';
import { h, chips } from './dom.js';
import { KINDS, attributeTexts, locationText } from './devices.js';
import { errorSlot, field, formFeedback, invalid, labelled, numberOrText, select } from './forms.js';
import { deviceFilters } from './instances.js';
import { bindingsOf, countText, scheduleText } from './app-catalog.js';
import { instanceHref } from './app-instances.js';

export function renderRunWizard(view, pg, name, back) {
  document.title = `Run ${name} · Lattice`;
  const body = h('div', { 'aria-busy': 'true' });
  view.append(h('section', { testid: 'page-run' },
    h('p', {}, h('a', { href: back, testid: 'back' }, '← the catalog')),
    h('hgroup', {}, h('h2', {}, 'Run ', h('code', { testid: 'run-app' }, name)),
      h('p', {}, 'Choose the devices it should use and its settings, then start it.')),
    body));
  api('GET', '/api/v1/apps/' + encodeURIComponent(name)).then((app) => {
    if (!pg.live()) return;
    body.removeAttribute('aria-busy');
    body.replaceChildren(wizard(pg, app));
  }).catch((e) => {
    if (!pg.live() || e.handled) return;
    body.removeAttribute('aria-busy');
    body.replaceChildren(h('p', { class: 'form-error', role: 'alert', testid: 'run-load-error' }, `Cannot read the app ${name}: ${e.detail}`));
  });
}

function wizard(pg, app) {
  const pickers = bindingsOf(app).map((b) => bindingPicker(pg, b));
  const params = paramInputs(app.params || []);
  const schedule = scheduleInputs(app.schedule);
  const submit = h('button', { type: 'submit', testid: 'run-submit' }, 'Start');
  const feedback = formFeedback('run', submit);
  const paths = () => new Map([...pickers.flatMap((p) => p.paths()), ...params.paths, ...schedule.paths]);

  async function onSubmit(ev) {
    ev.preventDefault();
    let made;
    const ok = await feedback.run(paths, async () => {
      made = await api('POST', `/api/v1/apps/${encodeURIComponent(app.name)}/instances`, {
        bindings: Object.fromEntries(pickers.map((p) => [p.name, p.chosen()])),
        params: params.value(),
        schedule: schedule.value(),
      });
    }, pg);
    if (ok && pg.live()) location.hash = instanceHref(made.id);
  }

  return h('form', { testid: 'run-form', onsubmit: onSubmit, novalidate: true },
    app.description ? h('p', { testid: 'run-description' }, app.description) : null,
    (app.models || []).length ? h('p', {}, 'Models it calls: ', chips(app.models)) : null,
    pickers.length ? h('h3', {}, 'Devices') : null,
    pickers.map((p) => p.el),
    h('h3', {}, 'Settings'),
    params.el,
    h('h3', {}, 'When'),
    schedule.el,
    h('div', { class: 'form-foot' }, submit, feedback.error));
}

/**
 * One binding: filters, the candidate instances of its type with a checkbox each (at most `max`
 * ticked: with max 1, ticking one unticks the other), and its own error line. Ticks survive a
 * change of filter. testids, with p = `binding-<name>`: `p` (the fieldset), `p-hint`,
 * `p-filter-*` (as deviceFilters), `p-filter-apply`, `p-filter-clear`, `p-count`,
 * `p-candidates`, `p-candidate-<id>`, `p-choose-<id>`, `p-chosen`, `p-error`, `p-filter-error`.
 */
function bindingPicker(pg, b) {
  const k = KINDS[b.kind];
  const p = `binding-${b.name}`;
  const max = b.max ?? 1;
  const filters = deviceFilters((n) => `${p}-filter-${n}`);
  const apply = h('button', { type: 'button', class: 'small', testid: `${p}-filter-apply`, onclick: () => load() }, 'Filter');
  const clear = h('button', { type: 'button', class: 'small secondary outline', testid: `${p}-filter-clear`,
    onclick: () => { filters.clear(); load(); } }, 'Clear');
  const filterFeedback = formFeedback(`${p}-filter`, apply);
  const count = h('small', { class: 'muted', testid: `${p}-count` });
  const chosenLine = h('small', { testid: `${p}-chosen` });
  const rows = h('tbody', { testid: `${p}-candidates` });
  const chosen = new Set();
  const boxes = new Map(); // id → checkbox of the candidates shown
  const fieldset = h('fieldset', { class: 'binding', testid: p, tabindex: -1 });
  const slot = errorSlot(fieldset);

  // Enter in a filter filters (it must not submit the whole wizard)
  filters.inputs.forEach((el) => el.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter') return;
    ev.preventDefault();
    load();
  }));

  function sync() {
    for (const [id, box] of boxes) {
      box.checked = chosen.has(id);
      box.disabled = max > 1 && !box.checked && chosen.size >= max;
    }
    chosenLine.textContent = chosen.size ? `chosen: ${[...chosen].join(', ')}` : 'none chosen';
    chosenLine.className = chosen.size >= (b.min ?? 1) && chosen.size <= max ? 'muted' : 'warning';
  }

  function toggle(id, on) {
    if (on && max === 1) chosen.clear();
    if (on) chosen.add(id);
    else chosen.delete(id);
    sync();
  }

  function row(d) {
    const box = h('input', { type: 'checkbox', testid: `${p}-choose-${d.id}`, 'aria-label': `use ${d.id}`,
      onchange: (ev) => toggle(d.id, ev.target.checked) });
    boxes.set(d.id, box);
    return h('tr', { testid: `${p}-candidate-${d.id}` },
      h('td', {}, box),
      h('td', {}, h('code', {}, d.id)),
      h('td', {}, locationText(d.location)),
      h('td', {}, chips(attributeTexts(d.attributes))));
  }

  async function load() {
    await filterFeedback.run(() => new Map(filters.paths), async () => {
      const list = await listAll(k.instances + query({ type: b.type, ...filters.params() }));
      if (!pg.live()) return;
      boxes.clear();
      count.textContent = list.length === 1 ? '1 candidate' : `${list.length} candidates`;
      rows.replaceChildren(...(list.length ? list.map(row)
        : [h('tr', {}, h('td', { colspan: 4, class: 'muted', testid: `${p}-none` }, `No ${k.noun} of type ${b.type} matches.`))]));
      sync();
    }, pg);
  }

  fieldset.append(
    h('legend', {}, h('code', {}, b.name), ` — ${k.noun}s of type `, h('code', {}, b.type)),
    h('p', { class: 'muted', testid: `${p}-hint` }, `Choose ${countText(b)}.`),
    h('div', { class: 'filters' },
      h('div', { class: 'filter-row' }, filters.groups),
      h('div', { class: 'form-foot' }, apply, clear, count, filterFeedback.error)),
    h('div', { class: 'overflow-auto' }, h('table', { class: 'striped compact candidates' },
      h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', {}, 'ID'), h('th', {}, 'Location'), h('th', {}, 'Attributes'))),
      rows)),
    h('p', {}, chosenLine, ' ', slot));
  load();

  return {
    name: b.name,
    el: fieldset,
    chosen: () => [...chosen],
    /** "bindings.probe" and "bindings.probe[i]" are about this binding (its checkbox when shown). */
    paths: () => [[`bindings.${b.name}`, fieldset],
      ...[...chosen].map((id, i) => [`bindings.${b.name}[${i}]`, fieldset])],
  };
}

/** The app's params as typed inputs, defaults filled in. testids: `param-<name>`, `param-<name>-error`. */
function paramInputs(params) {
  const inputs = params.map((p) => {
    const has = p.default !== undefined && p.default !== null;
    const control = p.type === 'boolean'
      ? h('input', { type: 'checkbox', role: 'switch', testid: `param-${p.name}`, checked: has && p.default === true })
      : h('input', { testid: `param-${p.name}`, autocomplete: 'off', inputmode: p.type === 'string' ? null : p.type === 'integer' ? 'numeric' : 'decimal',
        value: has ? String(p.default) : '', placeholder: has ? null : `a ${p.type}${p.type === 'string' ? '' : ' (required)'}` });
    return { p, has, control };
  });

  return {
    el: inputs.length
      ? h('div', { class: 'grid params-form' }, inputs.map(({ p, control }) =>
        field(h('span', {}, h('code', {}, p.name), h('small', { class: 'muted' }, ` ${p.type}`)), control)))
      : h('p', { class: 'muted', testid: 'params-none' }, 'This app takes no settings.'),
    paths: inputs.map(({ p, control }) => [`params.${p.name}`, control]),
    value() {
      const out = {};
      for (const { p, has, control } of inputs) {
        if (p.type === 'boolean') out[p.name] = control.checked;
        else if (p.type === 'string') {
          // an empty box is "no value" only when the param has no default (the API then says it is required)
          if (control.value !== '' || has) out[p.name] = control.value;
        } else {
          const v = numberOrText(control.value);
          if (v !== undefined) out[p.name] = v;
        }
      }
      return out;
    },
  };
}

/**
 * When the instance runs: as the app says (its default schedule, or right away until stopped),
 * on a cron or once at a time; then optionally how long each run lasts and only within start..end.
 * testids: `schedule-kind` (`default`, `cron`, `at`), `schedule-cron`, `schedule-duration`,
 * `schedule-at`, `schedule-start`, `schedule-end`, each with its `-error`.
 */
function scheduleInputs(appDefault) {
  const kind = select({ testid: 'schedule-kind', 'aria-label': 'schedule' }, [
    ['default', appDefault ? `the app's schedule (${scheduleText(appDefault)})` : 'now, until stopped'],
    ['cron', 'repeatedly, on a cron'], ['at', 'once, at a time']], 'default');
  const cron = h('input', { testid: 'schedule-cron', autocomplete: 'off', placeholder: '*/10 * * * * ?' });
  const duration = h('input', { testid: 'schedule-duration', inputmode: 'numeric', autocomplete: 'off', placeholder: 'until it ends' });
  const time = (testid) => h('input', { type: 'datetime-local', step: 1, testid });
  const at = time('schedule-at');
  const start = time('schedule-start');
  const end = time('schedule-end');
  const cronPart = h('div', {}, field('Cron (with seconds, Quartz style)', cron, 'sec min hour day month weekday, e.g. */10 * * * * ?'));
  const atPart = h('div', {}, field('At', at));
  const limits = h('div', { class: 'grid' }, field('Each run lasts (seconds)', duration, 'optional'),
    field('Not before', start, 'optional'), field('Not after', end, 'optional'));
  const sync = () => {
    cronPart.hidden = kind.value !== 'cron';
    atPart.hidden = kind.value !== 'at';
    limits.hidden = kind.value === 'default';
  };
  kind.addEventListener('change', sync);
  sync();

  /** A local date and time from the box as ISO-8601 (UTC); the raw text when it is not one. */
  function instant(input, name, required) {
    if (!input.value) {
      if (required) throw invalid(`schedule.${name}: choose a date and time`);
      return undefined;
    }
    const d = new Date(input.value);
    return Number.isNaN(d.getTime()) ? input.value : d.toISOString();
  }

  return {
    el: h('fieldset', {}, labelled('Run', kind), cronPart, atPart, limits),
    paths: [['schedule', kind], ['schedule.cron', cron], ['schedule.durationSeconds', duration], ['schedule.at', at],
      ['schedule.start', start], ['schedule.end', end]],
    value() {
      if (kind.value === 'default') return undefined;
      const s = kind.value === 'cron' ? { cron: cron.value.trim() } : { at: instant(at, 'at', true) };
      s.durationSeconds = numberOrText(duration.value);
      s.start = instant(start, 'start', false);
      s.end = instant(end, 'end', false);
      return s;
    },
  };
}
