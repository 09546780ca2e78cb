// Metrics (admin): what the platform does right now, read from every process's /metrics through
// GET /api/v1/metrics/summary every 2 s. The summary holds totals since each process started;
// rates here are the difference of two polls (a restarted process's counters start again at 0,
// so a negative difference counts as 0). History is Prometheus' job: README "Operating it".

import { api } from './api.js';
import { h, heading } from './dom.js';
import { lineChart } from './livechart.js';

const REFRESH_MS = 2000;
const KEEP = 150; // points on the chart: five minutes

export function renderMetricsPage(view, pg) {
  const stats = {};
  const stat = (id, label) => {
    const value = h('strong', { testid: 'metric-' + id }, '–');
    const note = h('small', { class: 'muted', testid: 'metric-' + id + '-note' });
    stats[id] = { value, note };
    return h('article', { class: 'stat' }, h('small', {}, label), h('div', { class: 'stat-value' }, value), note);
  };
  const error = h('p', { class: 'form-error', role: 'alert', testid: 'metrics-error', hidden: true });
  const chartBox = h('div', { class: 'chart-box', testid: 'metrics-chart', 'data-points': '0' });
  const lagRows = h('tbody', { testid: 'metrics-lag' });
  view.append(h('section', { testid: 'page-metrics' },
    heading('Metrics', 'Ingest, predictions, workloads and consumer lag, from every Lattice process\'s /metrics, every 2 s.'),
    error,
    h('div', { class: 'stats' },
      stat('ingest', 'Readings accepted / s'), stat('refused', 'Readings refused / s'),
      stat('predictions', 'Predictions / s'), stat('latency', 'Prediction latency (mean)'),
      stat('workloads', 'Workloads'), stat('restarts', 'Restarts (current workloads)'),
      stat('targets', 'Processes scraped')),
    chartBox,
    h('h3', {}, 'Kafka consumer lag'),
    h('div', { class: 'overflow-auto' }, h('table', { class: 'striped' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Service'), h('th', {}, 'Most records behind, any partition'))), lagRows))));

  let chart = null;
  lineChart(chartBox, ['readings/s', 'predictions/s'], 'readings and predictions per second over time').then((c) => {
    if (!pg.live()) return c.destroy();
    chart = c;
    pg.onClose(() => c.destroy());
  }).catch(() => chartBox.replaceChildren(h('p', { class: 'muted' }, 'The chart could not load.')));

  const points = [];
  let before = null;
  pg.every(REFRESH_MS, async () => {
    let now;
    try {
      now = await api('GET', '/api/v1/metrics/summary');
    } catch (e) {
      if (!pg.live() || e.handled) return;
      error.textContent = 'Cannot read the metrics: ' + e.detail;
      error.hidden = false;
      return;
    }
    if (!pg.live()) return;
    error.hidden = true;
    show(stats, lagRows, before, now);
    const rates = before && ratesBetween(before, now);
    if (rates) {
      points.push({ t: Date.parse(now.at), values: { 'readings/s': rates.ingest, 'predictions/s': rates.predictions } });
      if (points.length > KEEP) points.shift();
      chart?.show(points);
    }
    before = now;
  });
}

function ratesBetween(a, b) {
  const seconds = (Date.parse(b.at) - Date.parse(a.at)) / 1000;
  if (!(seconds > 0)) return null;
  const rise = (key) => Math.max(0, b[key] - a[key]);
  const predictions = rise('predictions');
  return {
    ingest: rise('readingsAccepted') / seconds,
    refused: rise('readingsRefused') / seconds,
    predictions: predictions / seconds,
    latencyMs: predictions > 0 ? rise('predictionSeconds') / predictions * 1000 : null,
  };
}

const count = (n) => Math.round(n).toLocaleString();
const rate = (n) => (n >= 100 ? Math.round(n).toLocaleString() : n.toFixed(1));

function show(stats, lagRows, before, now) {
  const set = (id, value, note) => {
    stats[id].value.textContent = value;
    stats[id].note.textContent = note;
  };
  const r = before && ratesBetween(before, now);
  set('ingest', r ? rate(r.ingest) : '…', `${count(now.readingsAccepted)} since start`);
  const causes = Object.entries(now.refusedByCause || {}).map(([c, n]) => `${c} ${count(n)}`).join(', ');
  set('refused', r ? rate(r.refused) : '…', `${count(now.readingsRefused)} since start${causes ? ': ' + causes : ''}`);
  set('predictions', r ? rate(r.predictions) : '…', `${count(now.predictions)} through the gateway since start`);
  set('latency', r && r.latencyMs !== null ? r.latencyMs.toFixed(1) + ' ms' : '–',
    now.predictions > 0 ? `${(now.predictionSeconds / now.predictions * 1000).toFixed(1)} ms since start` : 'no prediction yet');
  const byStatus = Object.entries(now.workloads || {}).filter(([, n]) => n > 0);
  set('workloads', count(byStatus.reduce((sum, [, n]) => sum + n, 0)), byStatus.map(([s, n]) => `${count(n)} ${s}`).join(', ') || 'none');
  set('restarts', count(now.restarts), 'summed over the workloads running now');
  set('targets', String(now.targets - now.unreachable.length) + ' / ' + now.targets,
    now.unreachable.length ? 'unreachable: ' + now.unreachable.join(', ') : 'all answered');
  lagRows.replaceChildren(...Object.entries(now.lag || {}).map(([service, lag]) =>
    h('tr', { testid: 'lag-' + service }, h('td', {}, service), h('td', {}, lag === null ? '–' : count(lag)))));
}
