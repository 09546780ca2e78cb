// One controller (every role): send it a command with typed parameters, and watch the commands'
// statuses (sent → delivered → acknowledged, or failed), polled every second while open.

import { api } from './api.js';
import { h, chips, clock, statusBadge } from './dom.js';
import { attributeTexts, instancePath, locationText, specTexts, typePath } from './devices.js';
import { formFeedback, labelled, numberOrText, select } from './forms.js';

const POLL_MS = 1000;
const SHOWN = 50;

export function renderControllerDetail(view, pg, id, back) {
  document.title = `${id} · Lattice`;
  const info = h('div', { testid: 'controller-info', 'aria-busy': 'true' });
  const formSlot = h('div', {});
  const rows = h('tbody', { testid: 'commands-rows' });
  const error = h('p', { class: 'form-error', role: 'alert', testid: 'commands-error', hidden: true });

  view.append(h('section', { testid: 'page-controller' },
    h('p', {}, h('a', { href: back, testid: 'back' }, '← all controllers')),
    h('hgroup', {}, h('h2', {}, 'Controller ', h('code', { testid: 'controller-id' }, id)),
      h('p', {}, 'Send it commands and follow their delivery.')),
    info,
    formSlot,
    h('h3', {}, 'Commands ', h('small', { class: 'muted' }, 'newest first, refreshed every second')),
    error,
    h('div', { class: 'overflow-auto' }, h('table', { class: 'striped compact', testid: 'commands-table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Sent'), h('th', {}, 'Command'), h('th', {}, 'Parameters'),
        h('th', {}, 'Status'), h('th', {}, 'Updated'), h('th', {}, 'Detail'))),
      rows))));

  async function loadCommands() {
    try {
      const list = await api('GET', `${instancePath('controller', id)}/commands?limit=${SHOWN}`);
      if (!pg.live()) return;
      error.hidden = true;
      rows.replaceChildren(...(list.length ? list.map(commandRow)
        : [h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'No command sent yet.'))]));
    } catch (e) {
      if (!pg.live() || e.handled) return;
      error.textContent = `Cannot list the commands: ${e.detail}`;
      error.hidden = false;
    }
  }

  (async () => {
    const controller = await api('GET', instancePath('controller', id));
    const type = await api('GET', typePath('controller', controller.type));
    if (!pg.live()) return;
    showInfo(info, controller, type);
    formSlot.replaceChildren(commandForm(pg, id, type, loadCommands));
    pg.every(POLL_MS, loadCommands);
  })().catch((e) => {
    if (!pg.live() || e.handled) return;
    error.textContent = `Cannot show the controller ${id}: ${e.detail || e.message}`;
    error.hidden = false;
  });
}

function showInfo(info, controller, type) {
  info.removeAttribute('aria-busy');
  info.replaceChildren(h('dl', { class: 'facts' },
    h('dt', {}, 'Type'), h('dd', {}, h('code', {}, type.name), type.description ? ` — ${type.description}` : ''),
    h('dt', {}, 'Location'), h('dd', {}, locationText(controller.location)),
    h('dt', {}, 'Attributes'), h('dd', {}, chips(attributeTexts(controller.attributes))),
    h('dt', {}, 'Commands'), h('dd', {}, chips(type.commands.map((c) => `${c.name}(${specTexts(c.params).join(', ')})`)))));
}

function commandRow(c) {
  return h('tr', { testid: `command-row-${c.commandId}` },
    h('td', { class: 'time' }, clock(c.sentAt)),
    h('td', {}, h('code', {}, c.command)),
    h('td', {}, h('code', { class: 'params' }, paramsText(c.params))),
    h('td', {}, statusBadge(c.status, `command-status-${c.commandId}`)),
    h('td', { class: 'time' }, clock(c.updatedAt)),
    h('td', { class: 'muted detail' }, c.detail || ''));
}

/** {"level":42,"on":true} → level=42, on=true (strings quoted). */
function paramsText(params) {
  const entries = Object.entries(params || {});
  return entries.length ? entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ') : '—';
}

/** An input for one typed parameter; `read()` gives the JSON value to send (undefined when empty). */
function paramInput(spec) {
  const attrs = { testid: `param-${spec.name}`, 'aria-label': spec.name, autocomplete: 'off' };
  if (spec.type === 'boolean') {
    const el = select(attrs, ['true', 'false'], 'true');
    return { el, read: () => el.value === 'true' };
  }
  if (spec.type === 'string') {
    const el = h('input', { ...attrs, placeholder: 'text' });
    return { el, read: () => el.value };
  }
  const el = h('input', { ...attrs, inputmode: spec.type === 'integer' ? 'numeric' : 'decimal',
    placeholder: spec.type === 'integer' ? 'a whole number' : 'a number' });
  return { el, read: () => numberOrText(el.value) };
}

/** The send form: a command of the type, then one typed input per parameter of that command. */
function commandForm(pg, id, type, sent) {
  const command = select({ testid: 'command-select', 'aria-label': 'command' }, type.commands.map((c) => c.name));
  const params = h('div', { class: 'grid params', testid: 'command-params' });
  const submit = h('button', { type: 'submit', testid: 'send-command' }, 'Send command');
  const feedback = formFeedback('command', submit);
  let inputs = new Map();

  function showParams() {
    const spec = type.commands.find((c) => c.name === command.value);
    inputs = new Map((spec?.params || []).map((p) => [p.name, paramInput(p)]));
    params.replaceChildren(...[...inputs].map(([name, input]) =>
      labelled(`${name} (${spec.params.find((p) => p.name === name).type})`, input.el)));
    if (inputs.size === 0) params.append(h('p', { class: 'muted' }, 'This command takes no parameters.'));
  }

  const paths = () => new Map([['command', command], ...[...inputs].map(([name, input]) => [`params.${name}`, input.el])]);

  async function onSubmit(ev) {
    ev.preventDefault();
    const body = { command: command.value, params: Object.fromEntries([...inputs].map(([name, input]) => [name, input.read()])) };
    let accepted;
    const ok = await feedback.run(paths, async () => {
      accepted = await api('POST', `${instancePath('controller', id)}/commands`, body);
    }, pg);
    if (!ok || !pg.live()) return;
    feedback.done(`Sent ${body.command} (command ${accepted.commandId}).`);
    sent();
  }

  command.addEventListener('change', showParams);
  showParams();
  return h('article', { class: 'panel' },
    h('header', {}, h('strong', {}, 'Send a command')),
    h('form', { testid: 'command-form', onsubmit: onSubmit },
      labelled('Command', command),
      params,
      h('div', { class: 'form-foot' }, submit, feedback.error, feedback.ok)));
}
