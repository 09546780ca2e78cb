// The live line chart: Chart.js from its WebJar (the UMD build, which bundles its one
// dependency), loaded on first use so the rest of the console does not pay for it.

import { h } from './dom.js';

const CHART_JS = '/webjars/chart.js/4.5.1/dist/chart.umd.min.js';
const COLORS = ['#1e88e5', '#e53935', '#43a047', '#fb8c00', '#8e24aa', '#00897b', '#6d4c41', '#3949ab'];

let loading = null;

/** window.Chart, loading the script once. */
export function loadChartJs() {
  if (window.Chart) return Promise.resolve(window.Chart);
  loading ??= new Promise((resolve, reject) => {
    document.head.append(h('script', {
      src: CHART_JS,
      onload: () => resolve(window.Chart),
      onerror: () => {
        loading = null;
        reject(new Error('cannot load ' + CHART_JS));
      },
    }));
  });
  return loading;
}

const SECOND = 1000;
const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600].map((s) => s * SECOND);

/** The x axis spans exactly the points, with ticks on whole seconds/minutes (about six of them). */
function fitTimeAxis(x, points) {
  if (points.length === 0) return;
  x.min = points[0].t;
  x.max = Math.max(points[points.length - 1].t, x.min + SECOND);
  const span = x.max - x.min;
  x.ticks.stepSize = STEPS.find((step) => span / step <= 6) || STEPS[STEPS.length - 1];
}

/**
 * A time/value line chart of `series` (names) in `box`, described to screen readers as `label`. `show(points)` redraws from
 * points = [{t: ms, values: {name: number}}] (oldest first); the box's `data-points` then says
 * how many points the chart holds, for tests.
 */
export async function lineChart(box, series, label = 'readings over time') {
  const Chart = await loadChartJs();
  const canvas = h('canvas', { testid: 'chart-canvas', role: 'img', 'aria-label': label });
  box.replaceChildren(canvas);
  const style = getComputedStyle(document.body);
  const chart = new Chart(canvas, {
    type: 'line',
    data: {
      datasets: series.map((name, i) => ({
        label: name,
        data: [],
        borderColor: COLORS[i % COLORS.length],
        backgroundColor: COLORS[i % COLORS.length],
        borderWidth: 2,
        pointRadius: 0,
        cubicInterpolationMode: 'monotone',
      })),
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      color: style.color,
      scales: {
        x: { type: 'linear', ticks: { callback: (v) => new Date(v).toLocaleTimeString([], { hour12: false }) } },
        y: { beginAtZero: false, grace: '5%' },
      },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: { callbacks: { title: (items) => items.length ? new Date(items[0].parsed.x).toLocaleTimeString([], { hour12: false }) : '' } },
      },
    },
  });
  return {
    show(points) {
      chart.data.datasets.forEach((ds) => {
        ds.data = points.filter((p) => typeof p.values[ds.label] === 'number').map((p) => ({ x: p.t, y: p.values[ds.label] }));
      });
      fitTimeAxis(chart.options.scales.x, points);
      chart.update('none');
      box.dataset.points = String(chart.data.datasets[0]?.data.length ?? 0);
    },
    destroy: () => chart.destroy(),
  };
}
