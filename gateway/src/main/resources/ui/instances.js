// Sensor and controller instances: the list with the API's filters (every role), and the create
// form with the device token shown once (platform configurer, admin).

import { api, listAll, query } from './api.js';
import { h, chips } from './dom.js';
import { KINDS, attributeTexts, detailHref, locationText, simulatorText } from './devices.js';
import { formFeedback, invalid, labelled, numberOrText, removeButton, rowEditor, select, setOptions } from './forms.js';

/**
 * The instances of one kind as a table, with the filters of `GET /api/v1/<kind>-instances`:
 * type, location label, near lat/lon within km, one attribute key=value. Call `setTypes` with
 * the types for the type filter. testids: `<kind>-filter-*`, `<kind>-instances`, `<kind>-row-<id>`.
 */
export function instanceList(kind, pg) {
  const k = KINDS[kind];
  const t = (name) => `${kind}-filter-${name}`;
  const type = select({ testid: t('type'), 'aria-label': 'type' }, [['', 'any type']]);
  const more = deviceFilters(t);
  const apply = h('button', { type: 'submit', testid: t('apply') }, 'Filter');
  const reset = h('button', { type: 'button', class: 'secondary outline', testid: t('clear'), onclick: clearFilters }, 'Clear');
  const feedback = formFeedback(`${kind}-filter`, apply);
  const rows = h('tbody', { testid: `${kind}-instances` });
  const count = h('small', { class: 'muted', testid: `${kind}-instances-count` });

  const filters = () => ({ type: type.value, ...more.params() });
  const paths = () => new Map([['type', type], ...more.paths]);

  async function load() {
    await feedback.run(paths, async () => {
      const list = await listAll(k.instances + query(filters()));
      if (!pg.live()) return;
      count.textContent = list.length === 1 ? '1 instance' : `${list.length} instances`;
      rows.replaceChildren(...(list.length ? list.map(row)
        : [h('tr', {}, h('td', { colspan: 5, class: 'muted' }, `No ${k.noun} matches.`))]));
    }, pg);
  }

  function row(d) {
    const sim = simulatorText(d.simulator);
    return h('tr', { testid: `${kind}-row-${d.id}` },
      h('td', {}, h('a', { href: detailHref(kind, d.id), testid: `open-${kind}-${d.id}` }, d.id)),
      h('td', {}, h('code', {}, d.type)),
      h('td', {}, locationText(d.location)),
      h('td', {}, chips(attributeTexts(d.attributes))),
      kind === 'sensor' ? h('td', { testid: 'simulated' }, sim || h('span', { class: 'muted' }, 'no')) : null);
  }

  function clearFilters() {
    type.value = '';
    more.clear();
    load();
  }

  const el = h('div', { class: 'instances-panel' },
    h('form', { class: 'filters', testid: `${kind}-filter-form`, onsubmit: (ev) => { ev.preventDefault(); load(); } },
      h('div', { class: 'filter-row' }, h('span', { class: 'filter-group' }, type), more.groups),
      h('div', { class: 'form-foot' }, apply, reset, count, feedback.error)),
    h('div', { class: 'overflow-auto' }, h('table', { class: 'striped compact', testid: `${kind}-instances-table` },
      h('thead', {}, h('tr', {}, h('th', {}, 'ID'), h('th', {}, 'Type'), h('th', {}, 'Location'), h('th', {}, 'Attributes'),
        kind === 'sensor' ? h('th', {}, 'Simulated') : null)),
      rows)));
  return { el, load, setTypes: (types) => setOptions(type, types.map((x) => x.name), 1) };
}

/**
 * The filters of `GET /api/v1/<kind>-instances` besides the type: location label, near lat/lon
 * within km, one attribute key=value; `t(name)` makes each input's testid (names `location`,
 * `near-lat`, `near-lon`, `within`, `attr-key`, `attr-value`). `groups` are the spans to put in a
 * filter row, `params()` the query's entries, `paths` the inputs a problem may name.
 */
export function deviceFilters(t) {
  const input = (name, attrs) => h('input', { testid: t(name), autocomplete: 'off', ...attrs });
  const f = {
    location: input('location', { placeholder: 'location label', 'aria-label': 'location label' }),
    lat: input('near-lat', { placeholder: 'lat', 'aria-label': 'near latitude', inputmode: 'decimal' }),
    lon: input('near-lon', { placeholder: 'lon', 'aria-label': 'near longitude', inputmode: 'decimal' }),
    within: input('within', { placeholder: 'km', 'aria-label': 'within km', inputmode: 'decimal' }),
    attrKey: input('attr-key', { placeholder: 'attribute', 'aria-label': 'attribute key' }),
    attrValue: input('attr-value', { placeholder: 'value', 'aria-label': 'attribute value' }),
  };
  return {
    inputs: Object.values(f),
    groups: [
      h('span', { class: 'filter-group' }, f.location),
      h('span', { class: 'filter-group wide' }, f.attrKey, h('span', { class: 'eq' }, '='), f.attrValue),
      h('span', { class: 'filter-group wide' }, h('span', { class: 'eq' }, 'near'), f.lat, f.lon,
        h('span', { class: 'eq' }, 'within'), f.within)],
    params() {
      const near = f.lat.value.trim() || f.lon.value.trim() ? `${f.lat.value.trim()},${f.lon.value.trim()}` : '';
      const params = { location: f.location.value, near, withinKm: f.within.value };
      if (f.attrKey.value.trim()) params['attr.' + f.attrKey.value.trim()] = f.attrValue.value;
      return params;
    },
    paths: [['location', f.location], ['near', [f.lat, f.lon]], ['withinKm', f.within], ['attr', [f.attrKey, f.attrValue]]],
    clear() {
      Object.values(f).forEach((el) => { el.value = ''; });
    },
  };
}

/** A key=value row of the attributes editor. */
function attributeRow(init = {}, remove) {
  const key = h('input', { testid: 'attr-key', placeholder: 'key, e.g. room', 'aria-label': 'attribute key', autocomplete: 'off', value: init.key });
  const value = h('input', { testid: 'attr-value', placeholder: 'value', 'aria-label': 'attribute value', autocomplete: 'off', value: init.value });
  return {
    el: h('div', { class: 'row', testid: 'attr-row' }, key, h('span', { class: 'eq' }, '='), value,
      removeButton('remove-attr', 'Remove this attribute', remove)),
    key,
    value,
  };
}

/** The optional simulator of a sensor: kind, interval and (for replay) the readings to replay. */
function simulatorInputs() {
  const kind = select({ testid: 'sensor-instance-simulator', 'aria-label': 'simulator' },
    [['', 'none (a device sends readings)'], ['random', 'random'], ['sine', 'sine wave'], ['replay', 'replay a list']], '');
  const interval = h('input', { testid: 'sensor-instance-interval', inputmode: 'numeric', value: '1000', 'aria-label': 'interval in ms' });
  const values = h('textarea', { testid: 'sensor-instance-replay', rows: 3, placeholder: '[{"celsius": 20.5}, {"celsius": 21}]' });
  const replay = labelled('Readings to replay (a JSON array)', values);
  const intervalLabel = labelled('Every (ms)', interval);
  const sync = () => {
    replay.hidden = kind.value !== 'replay';
    intervalLabel.hidden = kind.value === '';
  };
  kind.addEventListener('change', sync);
  sync();

  function value() {
    if (!kind.value) return undefined;
    const sim = { kind: kind.value, intervalMs: numberOrText(interval.value) };
    if (kind.value === 'replay') {
      try {
        sim.values = JSON.parse(values.value || '[]');
      } catch (e) {
        throw invalid('simulator.values: not JSON (' + e.message + ')');
      }
    }
    return sim;
  }

  return {
    el: h('fieldset', {}, h('legend', {}, 'Simulator (optional)'), h('div', { class: 'grid' }, labelled('Kind', kind), intervalLabel), replay),
    paths: [['simulator', kind], ['simulator.kind', kind], ['simulator.intervalMs', interval], ['simulator.values', values]],
    value,
    reset() {
      kind.value = '';
      values.value = '';
      sync();
    },
  };
}

/**
 * The create form of one kind; on success the device token is shown once, in a box to copy it
 * from (`<kind>-token-box`, `<kind>-token`). `created()` is called after each creation.
 */
export function instanceForm(kind, pg, created) {
  const k = KINDS[kind];
  const p = `${kind}-instance`;
  const type = select({ testid: `${p}-type`, required: true, 'aria-label': 'type' }, [['', 'choose a type']]);
  const name = h('input', { testid: `${p}-name`, autocomplete: 'off', placeholder: 'optional: an id is made up' });
  const label = h('input', { testid: `${p}-label`, autocomplete: 'off', required: true, placeholder: 'e.g. greenhouse 2' });
  const lat = h('input', { testid: `${p}-lat`, autocomplete: 'off', inputmode: 'decimal', placeholder: 'optional, -90 to 90' });
  const lon = h('input', { testid: `${p}-lon`, autocomplete: 'off', inputmode: 'decimal', placeholder: 'optional, -180 to 180' });
  const attributes = rowEditor({ testid: `${p}-attributes`, addLabel: '+ Add attribute', makeRow: attributeRow });
  const simulator = kind === 'sensor' ? simulatorInputs() : null;
  const submit = h('button', { type: 'submit', testid: `${p}-submit` }, `Create ${kind}`);
  const feedback = formFeedback(p, submit);
  const tokenSlot = h('div', {});

  const paths = () => new Map([['type', type], ['name', name], ['location', [label, lat, lon]], ['location.label', label],
    ['location.lat', lat], ['location.lon', lon], ['attributes', attributes.addButton],
    ...attributes.rows.map((r) => [`attributes.${r.key.value.trim()}`, [r.key, r.value]]),
    ...(simulator ? simulator.paths : [])]);

  function body() {
    const attrs = {};
    for (const r of attributes.rows) {
      const key = r.key.value.trim();
      if (!key && !r.value.value) continue;
      if (key in attrs) throw invalid(`attributes.${key}: appears twice`);
      attrs[key] = r.value.value;
    }
    return {
      type: type.value,
      name: name.value.trim() || undefined,
      location: { label: label.value.trim(), lat: numberOrText(lat.value), lon: numberOrText(lon.value) },
      attributes: attrs,
      simulator: simulator ? simulator.value() : undefined,
    };
  }

  async function onSubmit(ev) {
    ev.preventDefault();
    tokenSlot.replaceChildren();
    let made;
    const ok = await feedback.run(paths, async () => { made = await api('POST', k.instances, body()); }, pg);
    if (!ok || !pg.live()) return;
    feedback.done(`Created the ${kind} ${made.id}.`);
    tokenSlot.replaceChildren(tokenBox(kind, made, () => tokenSlot.replaceChildren()));
    [name, label, lat, lon].forEach((el) => { el.value = ''; });
    attributes.reset();
    simulator?.reset();
    created(made);
  }

  const el = h('article', { class: 'panel' },
    h('header', {}, h('strong', {}, `New ${kind}`)),
    h('form', { testid: `${p}-form`, onsubmit: onSubmit },
      h('div', { class: 'grid' }, labelled('Type', type), labelled('Name (id)', name)),
      h('div', { class: 'grid' }, labelled('Location', label), labelled('Latitude', lat), labelled('Longitude', lon)),
      h('fieldset', {}, h('legend', {}, 'Attributes'), attributes.el),
      simulator?.el,
      h('div', { class: 'form-foot' }, submit, feedback.error, feedback.ok)),
    tokenSlot);
  return { el, setTypes: (types) => setOptions(type, types.map((x) => x.name), 1) };
}

/** The device token of a new instance, once: the API never shows it again. */
function tokenBox(kind, made, dismiss) {
  const token = h('input', { readonly: true, value: made.token, testid: `${kind}-token`, class: 'token',
    'aria-label': 'device token', onfocus: (ev) => ev.target.select() });
  const copy = h('button', { type: 'button', class: 'small', testid: 'copy-token' }, 'Copy');
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(made.token);
    } catch {
      token.select();
      document.execCommand('copy');
    }
    copy.textContent = 'Copied';
  });
  return h('div', { class: 'token-box', testid: `${kind}-token-box`, role: 'status' },
    h('p', {}, 'Device token of ', h('a', { href: detailHref(kind, made.id) }, made.id), ':'),
    h('div', { class: 'row' }, token, copy),
    h('p', { class: 'warning', testid: `${kind}-token-warning` },
      '⚠ Copy it now: it will not be shown again. The device authenticates with it (user name: the id).'),
    h('button', { type: 'button', class: 'small secondary outline', testid: 'hide-token', onclick: dismiss }, 'I have saved it'));
}
