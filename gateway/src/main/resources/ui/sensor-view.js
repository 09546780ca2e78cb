// One sensor, live (every role): what it is, a line chart of its numeric fields and a table of
// its latest readings. The last readings come from GET .../readings, new ones over SSE
// (GET .../stream?access_token=, since an EventSource cannot send headers).

import { api } from './api.js';
import { h, chips, clock, setBadge } from './dom.js';
import { attributeTexts, instancePath, isNumeric, locationText, simulatorText, typePath } from './devices.js';
import { lineChart } from './livechart.js';
import { follow } from './stream.js';

const PREDICTIONS_MS = 5000; // how often the predictions of bound models are asked for again
const HISTORY = 50;      // readings asked for when the stream (re)opens
const KEEP = 300;        // points the chart holds
const TABLE_ROWS = 100;  // rows the table shows
const DRAW_MS = 150;     // at most one redraw per this many ms

export function renderSensorDetail(view, pg, id, back) {
  document.title = `${id} · Lattice`;
  const info = h('div', { testid: 'sensor-info', 'aria-busy': 'true' });
  const state = h('span', { testid: 'stream-status' });
  const received = h('strong', { testid: 'live-count' }, '0');
  const chartBox = h('div', { class: 'chart-box', testid: 'sensor-chart', 'data-points': '0' });
  const head = h('tr', {});
  const rows = h('tbody', { testid: 'readings-rows' });
  const error = h('p', { class: 'form-error', role: 'alert', testid: 'sensor-error', hidden: true });
  const predictions = h('section', { testid: 'sensor-predictions', hidden: true });
  setBadge(state, 'connecting');
  showPredictions(pg, id, predictions);

  view.append(h('section', { testid: 'page-sensor' },
    h('p', {}, h('a', { href: back, testid: 'back' }, '← all sensors')),
    h('hgroup', {}, h('h2', {}, 'Sensor ', h('code', { testid: 'sensor-id' }, id)), h('p', {}, 'Its readings, live.')),
    info,
    error,
    h('article', { class: 'panel' },
      h('header', { class: 'live-head' }, h('strong', {}, 'Live chart'), state,
        h('small', { class: 'muted' }, received, ' readings received live')),
      chartBox),
    h('h3', {}, 'Latest readings'),
    h('div', { class: 'overflow-auto' }, h('table', { class: 'striped readings', testid: 'readings-table' }, h('thead', {}, head), rows)),
    predictions));

  const fail = (text) => {
    error.textContent = text;
    error.hidden = false;
  };
  start(pg, id, { info, state, received, chartBox, head, rows, fail }).catch((e) => {
    if (pg.live() && !e.handled) fail(`Cannot show the sensor ${id}: ${e.detail || e.message}`);
  });
}

/**
 * What the models bound to this sensor predicted of its latest readings (hidden while there is
 * none), asked for again every few seconds.
 */
function showPredictions(pg, id, box) {
  const load = async () => {
    let list = [];
    try {
      list = await api('GET', `${instancePath('sensor', id)}/predictions?limit=20`);
    } catch (e) {
      list = [];
    }
    if (!pg.live()) return;
    box.hidden = list.length === 0;
    box.replaceChildren(h('h3', {}, 'Predictions of bound models'),
      h('div', { class: 'overflow-auto' }, h('table', { class: 'striped', testid: 'predictions-table' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Time'), h('th', {}, 'Model'), h('th', {}, 'Output'))),
        h('tbody', {}, list.map((p) => h('tr', {}, h('td', {}, clock(p.ts)), h('td', {}, `${p.model} v${p.version}`),
          h('td', {}, h('code', {}, JSON.stringify(p.output)))))))));
    pg.after(PREDICTIONS_MS, load);
  };
  load();
}

async function start(pg, id, ui) {
  const sensor = await api('GET', instancePath('sensor', id));
  const type = await api('GET', typePath('sensor', sensor.type));
  if (!pg.live()) return;
  showInfo(ui.info, sensor, type);
  ui.head.replaceChildren(h('th', {}, 'Time'), ...type.fields.map((f) => h('th', {}, f.name)));

  const numeric = type.fields.filter(isNumeric).map((f) => f.name);
  let chart = null;
  if (numeric.length) {
    chart = await lineChart(ui.chartBox, numeric);
    if (!pg.live()) return chart.destroy();
    pg.onClose(() => chart.destroy());
  } else {
    ui.chartBox.replaceChildren(h('p', { class: 'muted' }, `The type ${type.name} has no numeric field to chart.`));
  }

  const store = readingStore(KEEP);
  let pending = false;
  const draw = () => {
    pending = false;
    chart?.show(store.points);
    ui.rows.replaceChildren(...store.points.slice(-TABLE_ROWS).reverse().map((p) => readingRow(p, type.fields)));
  };
  const changed = () => {
    if (!pending) pg.after(DRAW_MS, draw);
    pending = true;
  };

  let count = 0;
  follow(pg, {
    path: `${instancePath('sensor', id)}/stream`,
    event: 'reading',
    check: instancePath('sensor', id),
    missed: 'the latest readings',
    onItem(r) {
      ui.received.textContent = String(++count);
      if (store.add(r)) changed();
    },
    async onOpen() {
      const history = await api('GET', `${instancePath('sensor', id)}/readings?limit=${HISTORY}`);
      if (pg.live() && history.reverse().map(store.add).some(Boolean)) changed();
    },
    onState: (s) => setBadge(ui.state, s),
    onFail: ui.fail,
  });
}

function showInfo(info, sensor, type) {
  info.removeAttribute('aria-busy');
  const sim = simulatorText(sensor.simulator);
  info.replaceChildren(h('dl', { class: 'facts' },
    h('dt', {}, 'Type'), h('dd', { testid: 'sensor-type' }, h('code', {}, type.name), type.description ? ` — ${type.description}` : ''),
    h('dt', {}, 'Location'), h('dd', { testid: 'sensor-location' }, locationText(sensor.location)),
    h('dt', {}, 'Attributes'), h('dd', {}, chips(attributeTexts(sensor.attributes))),
    h('dt', {}, 'Readings from'), h('dd', {}, sim ? `the platform's simulator (${sim})` : 'the device')));
}

function readingRow(p, fields) {
  return h('tr', { testid: 'reading-row' }, h('td', { class: 'time' }, clock(p.ts)),
    ...fields.map((f) => h('td', {}, formatValue(p.values[f.name]))));
}

function formatValue(v) {
  if (typeof v === 'number' && !Number.isInteger(v)) return v.toFixed(3);
  return v == null ? '' : String(v);
}

/** Readings oldest first by time, without duplicates (history and stream overlap), at most `keep`. */
function readingStore(keep) {
  const points = [];
  const keys = new Set();
  return {
    points,
    /** Adds a reading {ts, values}; false if it was already there. */
    add(r) {
      const key = r.ts + JSON.stringify(r.values);
      if (keys.has(key)) return false;
      const t = Date.parse(r.ts);
      let i = points.length;
      while (i > 0 && points[i - 1].t > t) i--;
      if (points.length >= keep && i === 0) return false; // older than everything kept
      keys.add(key);
      points.splice(i, 0, { t, ts: r.ts, values: r.values || {}, key });
      while (points.length > keep) keys.delete(points.shift().key);
      return true;
    },
  };
}
