// Apps (app developer, admin): upload an app (its jar or bundle and its config, one multipart
// request with a progress bar); every app with its latest version, runtime, bindings, models and
// versions; and the instances of one's apps (an admin: all), refreshed live.

import { listAll, session } from './api.js';
import { h, heading, chips, timeOfDay } from './dom.js';
import { bindingTexts, paramTexts } from './app-catalog.js';
import { instanceTable } from './app-instances.js';
import { uploadForm } from './upload-form.js';

export function renderAppsPage(view, pg) {
  const count = h('small', { class: 'muted', testid: 'apps-count' });
  const error = h('p', { class: 'form-error', role: 'alert', testid: 'apps-error', hidden: true });
  const rows = h('tbody', { testid: 'apps-rows' });
  const admin = session()?.role === 'admin';
  const instances = instanceTable(pg, { owner: true, stop: false,
    empty: admin ? 'No app instance is running or scheduled.' : 'No instance of your apps is running or scheduled.' });

  async function load() {
    try {
      const apps = await listAll('/api/v1/apps');
      if (!pg.live()) return;
      error.hidden = true;
      count.textContent = apps.length === 1 ? '1 app' : `${apps.length} apps`;
      rows.replaceChildren(...(apps.length ? apps.map(appRow)
        : [h('tr', {}, h('td', { colspan: 7, class: 'muted', testid: 'apps-none' }, 'No app yet: upload one below.'))]));
    } catch (e) {
      if (!pg.live() || e.handled) return;
      error.textContent = 'Cannot list the apps: ' + e.detail;
      error.hidden = false;
    }
  }

  const upload = uploadForm(pg, {
    prefix: 'app-upload',
    path: '/api/v1/apps',
    title: 'Upload an app',
    note: 'a new version of a known name adds a version',
    files: [
      { part: 'app', label: 'App', accept: '.jar,.zip,.tar.gz,.tgz', what: 'the app (a .jar, or a .zip or .tar.gz bundle)',
        hint: 'a .jar (runtime java) or a .zip / .tar.gz bundle (runtime command)' },
      { part: 'config', label: 'Config', accept: '.yaml,.yml,.json', what: 'the config (.yaml or .json)',
        hint: 'name, version, runtime, bindings, params, resources (.yaml or .json)' },
    ],
    // no more paths: the API's problems start "config...: " or "app...: ", which mark those files
    done: (made) => `Uploaded ${made.name} version ${made.version}.`,
    uploaded: load,
  });

  view.append(h('section', { testid: 'page-applications' },
    heading('Apps', 'Applications you publish for end users: each version with what it needs; and the instances end users run of them.'),
    h('p', {}, count),
    error,
    h('div', { class: 'overflow-auto' }, h('table', { class: 'striped compact dense apps', testid: 'apps-table' },
      h('thead', {}, h('tr', {}, ['Name', 'Latest', 'Runtime', 'Bindings', 'Models', 'Params', 'Versions'].map((t) => h('th', {}, t)))),
      rows)),
    upload.el,
    h('h3', {}, admin ? 'App instances' : 'Instances of your apps'),
    instances.el));
  load();
  instances.start();
}

function appRow(a) {
  const name = a.name;
  const uploaded = [a.uploadedBy && `by ${a.uploadedBy}`, a.uploadedAt && `at ${timeOfDay(a.uploadedAt)}`].filter(Boolean).join(' ');
  return h('tr', { testid: 'app-row-' + name },
    h('td', { title: a.description || null }, h('strong', { testid: 'app-name' }, name)),
    h('td', { testid: 'app-version-' + name, title: uploaded }, 'v' + a.version),
    h('td', { testid: 'app-runtime-' + name }, h('code', {}, a.runtime)),
    h('td', { testid: 'app-bindings-' + name }, chips(bindingTexts(a), 'none')),
    h('td', { testid: 'app-models-' + name }, chips(a.models || [], 'none')),
    h('td', { testid: 'app-params-' + name }, chips(paramTexts(a.params), 'none')),
    h('td', { testid: 'app-versions-' + name }, chips((a.versions || []).map((v) => 'v' + v))));
}
