// Models: every uploaded model with its versions, the version deployed and its replicas,
// refreshed live. Admins and data scientists upload (model-upload.js), deploy a version on a
// number of replicas and undeploy; every role may read the list and try a model (model-try.js).

import { api, listAll, session } from './api.js';
import { h, heading, chips, setBadge, busy, liveRows, timeOfDay } from './dom.js';
import { formFeedback, numberOrText, setOptions } from './forms.js';
import { modelUploadForm } from './model-upload.js';
import { tryPanel } from './model-try.js';

const REFRESH_MS = 2000;
const WRITERS = ['admin', 'data-scientist'];

export function renderModelsPage(view, pg) {
  const write = WRITERS.includes(session()?.role);
  const status = formFeedback('model-action');
  const listError = h('p', { class: 'form-error', role: 'alert', testid: 'models-list-error', hidden: true });
  const count = h('small', { class: 'muted', testid: 'models-count' });
  const detail = h('div', { testid: 'model-detail' });
  const tbody = h('tbody', { testid: 'models-rows' });
  const rows = liveRows(tbody, {
    key: (m) => m.name,
    make: (m) => modelRow(m, { write, deploy, undeploy, endCanary, open: toggle }),
    empty: () => h('tr', {}, h('td', { colspan: 7, class: 'muted', testid: 'models-none' },
      write ? 'No model yet: upload one below.' : 'No model has been uploaded yet.')),
  });
  let models = [];
  let opened = null; // the Try it panel shown under the list: {name, el}

  async function load() {
    try {
      models = await listAll('/api/v1/models');
      if (!pg.live()) return;
      listError.hidden = true;
      count.textContent = models.length === 1 ? '1 model' : `${models.length} models`;
      rows.show(models);
      if (opened && !models.some((m) => m.name === opened.name)) close();
    } catch (e) {
      if (!pg.live() || e.handled) return;
      listError.textContent = 'Cannot list the models: ' + e.detail;
      listError.hidden = false;
    }
  }

  /** Shows the Try it panel of `name` under the list, or hides it when it is already shown. */
  function toggle(name) {
    const again = opened?.name === name;
    close();
    const model = models.find((m) => m.name === name);
    if (again || !model) return;
    opened = tryPanel(pg, model, close);
    rows.rows.get(name)?.el.classList.add('selected');
    detail.replaceChildren(opened.el);
    opened.el.scrollIntoView({ block: 'nearest' });
  }

  function close() {
    if (!opened) return;
    rows.rows.get(opened.name)?.el.classList.remove('selected');
    opened = null;
    detail.replaceChildren();
  }

  async function deploy(name, version, replicas, button) {
    busy(button, true);
    const ok = await status.run(() => new Map(), () => api('POST', `/api/v1/models/${encodeURIComponent(name)}/deploy`,
      { version, replicas: numberOrText(replicas) }), pg);
    busy(button, false);
    if (!ok || !pg.live()) return;
    status.done(`Deploying ${name} version ${version}.`);
    await load();
  }

  /** Promote (the canary's version takes all traffic) or roll back (it loses it). */
  async function endCanary(name, action, button) {
    busy(button, true);
    const ok = await status.run(() => new Map(), () => api('POST', `/api/v1/models/${encodeURIComponent(name)}/${action}`), pg);
    busy(button, false);
    if (!ok || !pg.live()) return;
    status.done(action === 'promote' ? `Promoting the canary of ${name}.` : `Rolling back the canary of ${name}.`);
    await load();
  }

  async function undeploy(name, button) {
    busy(button, true);
    const ok = await status.run(() => new Map(), () => api('DELETE', `/api/v1/models/${encodeURIComponent(name)}/deploy`), pg);
    busy(button, false);
    if (!ok || !pg.live()) return;
    status.done(`Undeploying ${name}: its replicas are stopping.`);
    await load();
  }

  const form = write ? modelUploadForm(pg, load) : null;
  view.append(h('section', { testid: 'page-models' },
    heading('Models', `ONNX models with their contracts, the version deployed and its replicas; refreshed every ${REFRESH_MS / 1000} s.`),
    h('p', {}, count),
    listError, status.error, status.ok,
    h('div', { class: 'overflow-auto' }, h('table', { class: 'striped compact dense', testid: 'models-table' },
      h('thead', {}, h('tr', {}, ['Name', 'Versions', 'Deployed', 'Status', 'Replicas', write ? 'Deploy' : null, '']
        .filter((t) => t != null).map((t) => h('th', {}, t)))),
      tbody)),
    detail,
    form?.el));
  pg.every(REFRESH_MS, load);
}

/** One model's row, updated in place on each refresh (so a version being chosen stays chosen). */
function modelRow(m, { write, deploy, undeploy, endCanary, open }) {
  // A canary beside the deployed version: its share, and (for writers) promote / roll back.
  const canaryControls = (name, c) => h('div', { class: 'canary', testid: 'model-canary-' + name },
    h('small', {}, `canary v${c.version} at ${c.weight}% (${c.ready} ready) `),
    write ? [
      h('button', { type: 'button', class: 'small secondary outline', testid: 'model-promote-' + name,
        onclick: (e) => endCanary(name, 'promote', e.currentTarget) }, 'Promote'), ' ',
      h('button', { type: 'button', class: 'small secondary outline', testid: 'model-rollback-' + name,
        onclick: (e) => endCanary(name, 'rollback', e.currentTarget) }, 'Roll back')] : null);
  const name = m.name;
  const cells = {
    versions: h('td', { testid: 'model-versions-' + name }),
    deployed: h('td', { testid: 'model-deployed-' + name }),
    status: h('td', {}),
    replicas: h('td', { class: 'instances replicas', testid: 'model-replicas-' + name }),
  };
  const badge = h('span', { testid: 'model-status-' + name });
  const version = h('select', { testid: 'model-deploy-version-' + name, 'aria-label': `version of ${name} to deploy` });
  const replicas = h('input', { testid: 'model-deploy-replicas-' + name, inputmode: 'numeric', value: '1', size: 3,
    'aria-label': `replicas of ${name}` });
  const deployButton = h('button', { type: 'button', class: 'small', testid: 'model-deploy-' + name,
    onclick: () => deploy(name, version.value, replicas.value, deployButton) }, 'Deploy');
  const undeployButton = h('button', { type: 'button', class: 'small secondary outline', testid: 'model-undeploy-' + name,
    onclick: () => undeploy(name, undeployButton) }, 'Undeploy');
  const tryButton = h('button', { type: 'button', class: 'small secondary outline', testid: 'model-try-' + name,
    onclick: () => open(name) }, 'Try it');

  const el = h('tr', { testid: 'model-row-' + name },
    h('td', {}, h('strong', { testid: 'model-name' }, name)),
    cells.versions, cells.deployed, cells.status, cells.replicas,
    write ? h('td', { class: 'deploy' }, h('span', { class: 'deploy-controls' }, version, replicas, deployButton)) : null,
    h('td', { class: 'actions' }, tryButton, write ? [' ', undeployButton] : null));
  let first = true;

  return {
    el,
    update(next) {
      const versions = (next.versions || []).map(String);
      const details = new Map((next.versionDetails || []).map((d) => [String(d.version), d]));
      cells.versions.replaceChildren(chips(versions.map((v) => 'v' + v), 'none'));
      cells.versions.title = versions.map((v) => uploadedText(v, details.get(v))).join('\n');
      const d = next.deployed;
      cells.deployed.replaceChildren(d ? h('span', {}, 'v' + d.version, d.since ? h('small', { class: 'muted' }, ' since ' + timeOfDay(d.since)) : '')
        : h('span', { class: 'muted' }, 'not deployed'),
        d?.canary ? canaryControls(name, d.canary) : '', next.traffic ? trafficList(next.traffic) : '');
      cells.status.replaceChildren(d ? setBadge(badge, d.status) : h('span', { class: 'muted', testid: 'model-status-' + name }, '—'));
      cells.replicas.replaceChildren(d && d.status !== 'STOPPED' ? replicaList(d) : '');
      setOptions(version, versions);
      if (first && versions.length) {
        // start from what is deployed, else the newest version and the replicas its config asks for
        version.value = d ? String(d.version) : versions.at(-1);
        replicas.value = String(d?.wantedReplicas ?? details.get(version.value)?.replicas ?? 1);
        first = false;
      }
      undeployButton.hidden = !d || d.status === 'STOPPED';
    },
  };
}

/** Per version since the deployment began: its share, calls, errors and p99 (as this gateway proxied them). */
function trafficList(rows) {
  return h('ul', { class: 'traffic', testid: 'model-traffic' }, rows.map((r) => h('li', {},
    h('small', {}, `v${r.version} ${r.weight}% · ${r.requests} calls · ${r.errors} errors`
      + (r.p99Ms == null ? '' : ` · p99 ${r.p99Ms.toFixed(1)} ms`)))));
}

function replicaList(d) {
  const list = d.replicas || [];
  const ready = list.filter((r) => r.ready || r.status === 'READY').length;
  const wanted = d.wantedReplicas ?? list.length;
  return h('div', {},
    h('small', { class: 'muted', testid: 'model-ready-count' }, `${ready}/${wanted} ready`),
    h('ul', {}, list.map((r) => h('li', { testid: 'model-replica' },
      h('code', {}, r.node || '?'), ' ', setBadge(h('span', {}), r.status),
      r.restarts ? h('span', { class: 'muted' }, ` · ${r.restarts} restarts`) : ''))));
}

function uploadedText(version, detail) {
  if (!detail) return 'v' + version;
  return [`v${version}`, detail.uploadedBy && `by ${detail.uploadedBy}`, detail.uploadedAt && `at ${timeOfDay(detail.uploadedAt)}`]
    .filter(Boolean).join(' ');
}
