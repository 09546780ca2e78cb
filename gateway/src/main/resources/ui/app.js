// The Lattice console: a single-page client of the public REST API (see API.md). It holds no
// state of its own beyond the session token in sessionStorage; every page asks the API.
// No build step: plain ES modules, DOM built with h() (text only, never innerHTML of data).
// This module: roles, navigation, routing, login, landing and users. Health lives in health.js;
// devices in catalog.js (lists), types.js, instances.js, sensor-view.js and controller-view.js;
// nodes and what runs on them in nodes.js, deployments.js (with deployment-form.js),
// workloads.js, events.js; metrics in metrics.js; models in models.js (with model-upload.js and
// model-try.js); apps in apps.js (developers), app-catalog.js and app-wizard.js (running one),
// app-instances.js and app-instance.js (what runs).

import { api, listAll, onUnauthorized, session, LOGIN_PATH, SESSION_KEY } from './api.js';
import { h } from './dom.js';
import { renderHealth } from './health.js';
import { renderSensorsPage, renderControllersPage, renderLiveData } from './catalog.js';
import { renderSensorDetail } from './sensor-view.js';
import { renderControllerDetail } from './controller-view.js';
import { renderNodesPage } from './nodes.js';
import { renderDeploymentsPage } from './deployments.js';
import { renderWorkloadsPage } from './workloads.js';
import { renderEventsPage } from './events.js';
import { renderMetricsPage } from './metrics.js';
import { renderModelsPage } from './models.js';
import { renderAppsPage } from './apps.js';
import { renderCatalogPage } from './app-catalog.js';
import { renderRunWizard } from './app-wizard.js';
import { renderInstancesPage } from './app-instances.js';
import { renderInstanceView } from './app-instance.js';

/**
 * Every section of the console. An `open` section may be opened by every role at its address,
 * whether or not its nav shows it. A role's name as a key gives that role its own title and blurb.
 */
const SECTIONS = {
  users: { title: 'Users', render: renderUsers, blurb: 'Create accounts and give each one a role.' },
  nodes: { title: 'Nodes', render: renderNodesPage, blurb: 'Machines running a node agent, and their load.' },
  deployments: { title: 'Deployments', render: renderDeploymentsPage, blurb: 'What runs on the nodes, in how many replicas.' },
  workloads: { title: 'Workloads', render: renderWorkloadsPage, blurb: 'Every replica: where it runs, its status, its logs.' },
  events: { title: 'Events', render: renderEventsPage, blurb: 'What happened on the platform, live.' },
  metrics: { title: 'Metrics', render: renderMetricsPage, blurb: 'Ingest rate, predictions, workloads and consumer lag, now.' },
  models: { title: 'Models', render: renderModelsPage, open: true, blurb: 'Upload, version and deploy ONNX models; try one.' },
  sensors: { title: 'Sensors', render: renderSensorsPage, blurb: 'Sensor types and the instances that send readings.' },
  controllers: { title: 'Controllers', render: renderControllersPage, blurb: 'Controller types and the instances that take commands.' },
  live: { title: 'Live data', render: renderLiveData, blurb: 'Watch a sensor\'s readings live; send a controller a command.' },
  applications: { title: 'Apps', render: renderAppsPage, blurb: 'Upload applications for end users; see their versions and instances.' },
  catalog: { title: 'Catalog', render: renderCatalogPage, blurb: 'Applications you can run on your sensors and controllers.' },
  instances: { title: 'My instances', render: renderInstancesPage, blurb: 'Applications you have started: status, outputs, logs.',
    admin: { title: 'App instances', blurb: 'Every application instance: status, outputs, logs.' } },
  health: { title: 'Health', render: renderHealth, blurb: 'Platform services and their heartbeats.' },
};

/**
 * What each role sees, in nav order; Health is everyone's. Roles without the Sensors page get
 * "Live data", so every role can watch a sensor and command a controller. Platform configurers
 * see nodes, deployments, workloads and events read-only (the pages offer writes to admins only).
 * Models is open: other roles reach it at #/models, read-only, and may try a model there.
 */
const ROLES = {
  'admin': { label: 'Administrator',
    sections: ['users', 'nodes', 'deployments', 'workloads', 'events', 'metrics', 'models', 'applications', 'catalog', 'instances', 'sensors', 'controllers', 'health'],
    intro: 'You run the platform: its users, its nodes, its devices and what is deployed on them.' },
  'data-scientist': { label: 'Data scientist', sections: ['models', 'live', 'health'],
    intro: 'You publish machine-learning models and keep them serving.' },
  'platform-configurer': { label: 'Platform configurer',
    sections: ['sensors', 'controllers', 'nodes', 'deployments', 'workloads', 'events', 'health'],
    intro: 'You describe the devices: sensor and controller types and their instances; you can also watch the nodes and what runs on them.' },
  'app-developer': { label: 'App developer', sections: ['applications', 'live', 'health'],
    intro: 'You build applications on sensors, controllers and models, and publish them.' },
  'end-user': { label: 'End user', sections: ['catalog', 'instances', 'live', 'health'],
    intro: 'You pick applications from the catalog and run them on your devices.' },
};

/**
 * Views of one thing, #/<route>/{id}, under the first of `homes` the role has in its nav. A device
 * (#/sensors/{id}, #/controllers/{id}) is open to every role, under Live data when the role has
 * not its section; an app's Run wizard (#/catalog/{name}) and an app instance
 * (#/instances/{id}) only to roles with one of the homes.
 */
const DETAILS = {
  sensors: { render: renderSensorDetail, homes: ['sensors', 'live'] },
  controllers: { render: renderControllerDetail, homes: ['controllers', 'live'] },
  catalog: { render: renderRunWizard, homes: ['catalog'] },
  instances: { render: renderInstanceView, homes: ['instances', 'applications'] },
};

// ---------------------------------------------------------------- session and API

let expiryTimer = null;
let loginNotice = null;

function startSession(login) {
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(login));
  armExpiry(login);
}

function armExpiry(s) {
  clearTimeout(expiryTimer);
  if (!s.expiresAt) return;
  const left = Date.parse(s.expiresAt) - Date.now();
  // setTimeout overflows past ~24.8 days; re-arm instead of waiting that long in one go.
  expiryTimer = setTimeout(() => (session() ? armExpiry(s) : endSession('Your session has expired. Please log in again.')),
    Math.max(0, Math.min(left, 2 ** 31 - 1)));
}

/** Forgets the token and shows the login page, with an optional notice above it. */
function endSession(notice) {
  clearTimeout(expiryTimer);
  sessionStorage.removeItem(SESSION_KEY);
  loginNotice = notice || null;
  shell = null;
  go('#/login');
}

// ---------------------------------------------------------------- routing

let shell = null;   // the signed-in frame (header, nav, view), rebuilt on each login
let page = null;    // the page on screen: see newPage()

function go(hash) {
  if (location.hash === hash) render();
  else location.hash = hash;
}

function render() {
  if (page) page.close();
  const [route, arg] = location.hash.replace(/^#\/?/, '').split('?')[0].split('/');
  const s = session();
  if (!s) {
    if (route !== 'login') return go('#/login');
    shell = null;
    return renderLogin();
  }
  if (route === 'login' || route === '') return go('#/home');
  const role = ROLES[s.role];
  if (!role) return endSession(`This console does not know the role '${s.role}'.`);
  shell = shell || buildShell(s);
  page = newPage();
  shell.select(route);
  const view = shell.view;
  view.replaceChildren();
  if (route === 'home') return renderLanding(view, s, role);
  if (arg && DETAILS[route]) {
    const home = DETAILS[route].homes.find((id) => role.sections.includes(id));
    if (!home) return renderMessage(view, 'forbidden', SECTIONS[route].title, `This page is not part of the ${role.label} role.`);
    shell.select(home);
    return DETAILS[route].render(view, page, decodeURIComponent(arg), '#/' + home);
  }
  const section = sectionFor(route, s.role);
  if (!section) return renderMessage(view, 'not-found', 'Page not found', `There is no page '${route}'.`);
  if (!role.sections.includes(route) && !section.open) {
    return renderMessage(view, 'forbidden', section.title, `The ${section.title} page is not part of the ${role.label} role.`);
  }
  document.title = section.title + ' · Lattice';
  section.render(view, page);
}

/** Section `id` as `roleName` sees it (null when there is none). */
function sectionFor(id, roleName) {
  const section = SECTIONS[id];
  return section ? { ...section, ...section[roleName] } : null;
}

/**
 * One page's lifetime: async work checks live() before touching the DOM; close() stops timers
 * and runs what onClose() registered (streams, charts).
 */
function newPage() {
  let live = true;
  const timers = new Set();
  const closers = [];
  const pg = {
    live: () => live,
    close() {
      live = false;
      timers.forEach(clearTimeout);
      closers.splice(0).forEach((fn) => fn());
    },
    onClose(fn) { closers.push(fn); },
    /** Runs fn once after ms, if the page is still on screen. */
    after(ms, fn) {
      const t = setTimeout(() => { timers.delete(t); if (live) fn(); }, ms);
      timers.add(t);
    },
    /** Runs fn now and then every ms after it finishes, while the page is on screen. */
    every(ms, fn) {
      const loop = async () => {
        await fn();
        if (live) pg.after(ms, loop);
      };
      loop();
    },
  };
  return pg;
}

// ---------------------------------------------------------------- login

function renderLogin() {
  document.title = 'Log in · Lattice';
  const username = h('input', { id: 'login-username', name: 'username', testid: 'login-username',
    autocomplete: 'username', required: true, autofocus: true });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password', testid: 'login-password',
    autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'form-error', role: 'alert', testid: 'login-error', hidden: true });
  const submit = h('button', { type: 'submit', testid: 'login-submit' }, 'Log in');
  const notice = loginNotice && h('p', { class: 'notice', testid: 'login-notice' }, loginNotice);
  loginNotice = null;

  async function onSubmit(ev) {
    ev.preventDefault();
    submit.setAttribute('aria-busy', 'true');
    submit.disabled = true;
    error.hidden = true;
    try {
      const r = await api('POST', LOGIN_PATH, { username: username.value.trim(), password: password.value });
      startSession({ token: r.token, role: r.role, expiresAt: r.expiresAt });
      go('#/home');
    } catch (e) {
      error.textContent = e.detail;
      error.hidden = false;
      password.value = '';
      password.setAttribute('aria-invalid', 'true');
      password.focus();
    } finally {
      submit.removeAttribute('aria-busy');
      submit.disabled = false;
    }
  }

  const root = h('main', { class: 'container login', testid: 'login-page' },
    h('article', {},
      h('header', {}, h('hgroup', {}, h('h1', {}, 'Lattice'), h('p', {}, 'IoT applications and ML models, on your own machines.'))),
      notice,
      h('form', { testid: 'login-form', onsubmit: onSubmit },
        h('label', { for: 'login-username' }, 'Username', username),
        h('label', { for: 'login-password' }, 'Password', password),
        error,
        submit)));
  document.getElementById('app').replaceChildren(root);
  username.focus();
}

// ---------------------------------------------------------------- signed-in frame

function buildShell(s) {
  const role = ROLES[s.role];
  const whoami = h('span', { class: 'whoami', testid: 'whoami', 'aria-busy': 'true' });
  const links = {};
  const navList = h('ul', {}, role.sections.map((id) => {
    links[id] = h('a', { href: '#/' + id, testid: 'nav-' + id }, sectionFor(id, s.role).title);
    return h('li', {}, links[id]);
  }));
  const view = h('main', { class: 'view', id: 'view', testid: 'view' });
  const header = h('header', { class: 'topbar' },
    h('nav', { class: 'container-fluid' },
      h('ul', {}, h('li', {}, h('a', { href: '#/home', class: 'brand', testid: 'brand' }, 'Lattice'))),
      h('ul', {},
        h('li', {}, h('a', { href: '/api-reference.html', testid: 'api-reference' }, 'API reference')),
        h('li', {}, whoami),
        h('li', {}, h('button', { class: 'secondary outline logout', testid: 'logout',
          onclick: () => endSession('You have logged out.') }, 'Log out')))));
  const aside = h('aside', { class: 'sidebar' }, h('nav', { testid: 'nav', 'aria-label': 'Sections' }, navList));
  document.getElementById('app').replaceChildren(header, h('div', { class: 'layout container-fluid' }, aside, view));

  api('GET', '/api/v1/me').then((me) => {
    whoami.removeAttribute('aria-busy');
    whoami.replaceChildren(
      h('strong', { testid: 'whoami-username' }, me.username),
      h('span', { class: 'role', testid: 'whoami-role', title: ROLES[me.role]?.label || me.role }, me.role));
  }).catch((e) => {
    if (e.handled) return;
    whoami.removeAttribute('aria-busy');
    whoami.replaceChildren(h('span', { class: 'form-error' }, 'who am I? ' + e.detail));
  });

  return {
    token: s.token,
    view,
    select(route) {
      for (const [id, a] of Object.entries(links)) {
        if (id === route) a.setAttribute('aria-current', 'page');
        else a.removeAttribute('aria-current');
      }
    },
  };
}

function renderLanding(view, s, role) {
  document.title = 'Home · Lattice';
  view.append(h('section', { testid: 'landing-' + s.role, class: 'landing' },
    h('hgroup', {}, h('h2', {}, role.label), h('p', {}, role.intro)),
    h('div', { class: 'cards' }, role.sections.map((id) =>
      h('a', { href: '#/' + id, class: 'card', testid: 'landing-link-' + id },
        h('article', {}, h('h3', {}, sectionFor(id, s.role).title), h('p', {}, sectionFor(id, s.role).blurb)))))));
}

function renderMessage(view, testid, title, text) {
  document.title = title + ' · Lattice';
  view.append(h('section', { testid }, h('h2', {}, title), h('p', {}, text),
    h('p', {}, h('a', { href: '#/home' }, 'Back to your home page'))));
}

// ---------------------------------------------------------------- users (admin)

function renderUsers(view, pg) {
  const username = h('input', { name: 'username', id: 'new-username', testid: 'new-username', required: true,
    autocomplete: 'off', placeholder: 'e.g. alice' });
  const password = h('input', { name: 'password', id: 'new-password', testid: 'new-password', type: 'password',
    required: true, minlength: 8, autocomplete: 'new-password', placeholder: 'at least 8 characters' });
  const role = h('select', { name: 'role', id: 'new-role', testid: 'new-role', required: true },
    Object.entries(ROLES).map(([id, r]) => h('option', { value: id, selected: id === 'end-user' }, `${id} (${r.label})`)));
  const submit = h('button', { type: 'submit', testid: 'create-user-submit' }, 'Create user');
  const error = h('p', { class: 'form-error', role: 'alert', testid: 'create-user-error', hidden: true });
  const ok = h('p', { class: 'form-ok', role: 'status', testid: 'create-user-ok', hidden: true });
  const rows = h('tbody', { testid: 'users-rows' });
  const count = h('small', { class: 'muted', testid: 'users-count' });
  const listError = h('p', { class: 'form-error', role: 'alert', testid: 'users-error', hidden: true });
  const fields = { username, password, role };

  async function load() {
    try {
      const users = await listAll('/api/v1/users');
      if (!pg.live()) return;
      listError.hidden = true;
      users.sort((a, b) => a.username.localeCompare(b.username));
      count.textContent = users.length === 1 ? '1 user' : `${users.length} users`;
      rows.replaceChildren(...users.map((u) => h('tr', { testid: 'user-row-' + u.username },
        h('td', {}, u.username), h('td', {}, h('span', { class: 'role' }, u.role)))));
    } catch (e) {
      if (!pg.live() || e.handled) return;
      listError.textContent = 'Cannot list users: ' + e.detail;
      listError.hidden = false;
    }
  }

  async function onSubmit(ev) {
    ev.preventDefault();
    error.hidden = true;
    ok.hidden = true;
    Object.values(fields).forEach((f) => f.removeAttribute('aria-invalid'));
    submit.setAttribute('aria-busy', 'true');
    submit.disabled = true;
    try {
      const created = await api('POST', '/api/v1/users',
        { username: username.value.trim(), password: password.value, role: role.value });
      if (!pg.live()) return;
      ok.textContent = `Created ${created.username} (${created.role}).`;
      ok.hidden = false;
      username.value = '';
      password.value = '';
      await load();
    } catch (e) {
      if (!pg.live() || e.handled) return;
      error.textContent = e.detail;
      error.hidden = false;
      // problem details name the field first ("password: must be ..."): point at it
      const field = fields[(e.detail.match(/^(\w+):/) || [])[1]] || (e.status === 409 ? username : null);
      if (field) field.setAttribute('aria-invalid', 'true');
    } finally {
      submit.removeAttribute('aria-busy');
      submit.disabled = false;
    }
  }

  view.append(h('section', { testid: 'page-users' },
    h('hgroup', {}, h('h2', {}, 'Users'), h('p', {}, 'Everyone who can log in, and what their role lets them do.')),
    h('article', {},
      h('header', {}, h('strong', {}, 'New user')),
      h('form', { testid: 'create-user-form', onsubmit: onSubmit, class: 'create-user' },
        h('div', { class: 'grid' },
          h('label', { for: 'new-username' }, 'Username', username),
          h('label', { for: 'new-password' }, 'Password', password),
          h('label', { for: 'new-role' }, 'Role', role)),
        h('div', { class: 'form-foot' }, submit, error, ok))),
    h('h3', {}, 'All users ', count),
    listError,
    h('div', { class: 'overflow-auto' }, h('table', { class: 'striped', testid: 'users-table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Username'), h('th', {}, 'Role'))),
      rows))));
  load();
}

// ---------------------------------------------------------------- start

onUnauthorized((error) => endSession('Your session has ended (' + error.detail + '). Please log in again.'));
window.addEventListener('hashchange', render);
const existing = session();
if (existing) armExpiry(existing);
render();
