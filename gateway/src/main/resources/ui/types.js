// Sensor and controller types (platform configurer, admin): the list with delete, and the
// create forms (a sensor type's fields; a controller type's commands and their params).

import { api, listAll } from './api.js';
import { h, chips } from './dom.js';
import { KINDS, specTexts, typePath } from './devices.js';
import { formFeedback, rowEditor, removeButton, select, labelled, FIELD_TYPES } from './forms.js';

/**
 * The types of one kind: a table (with delete) and the create form. `onChange(types)` is told
 * the list each time it is (re)loaded. testids: `<kind>-types`, `<kind>-type-row-<name>`.
 */
export function typesPanel(kind, pg, onChange) {
  const k = KINDS[kind];
  const rows = h('tbody', { testid: `${kind}-types` });
  const count = h('small', { class: 'muted', testid: `${kind}-types-count` });
  const status = formFeedback(`${kind}-types`);

  async function load() {
    try {
      const types = await listAll(k.types);
      if (!pg.live()) return;
      types.sort((a, b) => a.name.localeCompare(b.name));
      count.textContent = types.length === 1 ? '1 type' : `${types.length} types`;
      rows.replaceChildren(...(types.length ? types.map(typeRow)
        : [h('tr', {}, h('td', { colspan: 4, class: 'muted' }, `No ${k.noun} types yet: create one below.`))]));
      onChange(types);
    } catch (e) {
      if (pg.live() && !e.handled) status.fail(`Cannot list the ${k.noun} types: ${e.detail}`);
    }
  }

  function typeRow(t) {
    const members = kind === 'sensor' ? specTexts(t.fields)
      : t.commands.map((c) => `${c.name}(${specTexts(c.params).join(', ')})`);
    return h('tr', { testid: `${kind}-type-row-${t.name}` },
      h('td', {}, h('code', {}, t.name)),
      h('td', {}, t.description || h('span', { class: 'muted' }, '—')),
      h('td', {}, chips(members)),
      h('td', { class: 'actions' }, deleteControl(t.name)));
  }

  /** "Delete", then "Delete <name>? Yes / Cancel" in place: no modal dialog. */
  function deleteControl(name) {
    const cell = h('span', {});
    const ask = () => cell.replaceChildren(
      h('span', { class: 'muted' }, `Delete ${name}? `),
      h('button', { type: 'button', class: 'small danger', testid: 'confirm-delete-type', onclick: () => remove(name) }, 'Yes, delete'),
      ' ',
      h('button', { type: 'button', class: 'small secondary outline', onclick: idle }, 'Cancel'));
    const idle = () => cell.replaceChildren(
      h('button', { type: 'button', class: 'small secondary outline', testid: 'delete-type', onclick: ask }, 'Delete'));
    idle();
    return cell;
  }

  async function remove(name) {
    const ok = await status.run(() => new Map(), () => api('DELETE', typePath(kind, name)), pg);
    if (!ok || !pg.live()) return;
    status.done(`Deleted the ${k.noun} type ${name}.`);
    await load();
  }

  const form = kind === 'sensor' ? sensorTypeForm(pg, load) : controllerTypeForm(pg, load);
  const el = h('div', {},
    h('article', { class: 'panel' },
      h('header', {}, h('strong', {}, `${k.title.slice(0, -1)} types `), count),
      h('div', { class: 'overflow-auto' }, h('table', { class: 'striped compact', testid: `${kind}-types-table` },
        h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Description'),
          h('th', {}, kind === 'sensor' ? 'Fields' : 'Commands'), h('th', {}, ''))),
        rows)),
      status.error, status.ok),
    form);
  return { el, load };
}

/** A "name + type" row: a field of a sensor type or a param of a command (`what`). */
function specRow(what) {
  return (init = {}, remove) => {
    const name = h('input', { testid: `${what}-name`, placeholder: `${what} name`, 'aria-label': `${what} name`,
      autocomplete: 'off', value: init.name });
    const type = select({ testid: `${what}-type`, 'aria-label': `${what} type` }, FIELD_TYPES, init.type || 'number');
    return {
      el: h('div', { class: 'row', testid: `${what}-row` }, name, type, removeButton(`remove-${what}`, `Remove this ${what}`, remove)),
      name,
      type,
      value: () => ({ name: name.value.trim(), type: type.value }),
    };
  };
}

/** Name and description inputs, and the submit wiring, common to both type forms. */
function typeForm(kind, pg, created, { members, body, paths, reset }) {
  const name = h('input', { testid: `${kind}-type-name`, required: true, autocomplete: 'off',
    placeholder: kind === 'sensor' ? 'e.g. thermometer' : 'e.g. dimmer' });
  const description = h('input', { testid: `${kind}-type-description`, autocomplete: 'off', placeholder: 'optional' });
  const submit = h('button', { type: 'submit', testid: `${kind}-type-submit` }, `Create ${kind} type`);
  const feedback = formFeedback(`${kind}-type`, submit);
  const fieldPaths = () => new Map([['name', name], ['description', description], ...paths()]);

  async function onSubmit(ev) {
    ev.preventDefault();
    const sent = { name: name.value.trim(), description: description.value.trim(), ...body() };
    const ok = await feedback.run(fieldPaths, () => api('POST', KINDS[kind].types, sent), pg);
    if (!ok || !pg.live()) return;
    feedback.done(`Created the ${kind} type ${sent.name}.`);
    name.value = '';
    description.value = '';
    reset();
    created();
  }

  return h('article', { class: 'panel' },
    h('header', {}, h('strong', {}, `New ${kind} type`)),
    h('form', { testid: `${kind}-type-form`, onsubmit: onSubmit },
      h('div', { class: 'grid' }, labelled('Name', name, 'lower case, digits and -'), labelled('Description', description)),
      members,
      h('div', { class: 'form-foot' }, submit, feedback.error, feedback.ok)));
}

function sensorTypeForm(pg, created) {
  const fields = rowEditor({ testid: 'sensor-type-fields', addLabel: '+ Add field', makeRow: specRow('field') });
  fields.add();
  return typeForm('sensor', pg, created, {
    members: h('fieldset', {}, h('legend', {}, 'Fields of each reading'), fields.el),
    body: () => ({ fields: fields.rows.map((r) => r.value()) }),
    paths: () => [['fields', fields.addButton],
      ...fields.rows.flatMap((r, i) => [[`fields[${i}]`, [r.name, r.type]], [`fields[${i}].name`, r.name], [`fields[${i}].type`, r.type]])],
    reset: () => fields.reset([{}]),
  });
}

function commandBlock(init = {}, remove) {
  const name = h('input', { testid: 'command-name', placeholder: 'command name, e.g. set-level', 'aria-label': 'command name',
    autocomplete: 'off', value: init.name });
  const params = rowEditor({ testid: 'command-params', addLabel: '+ Add parameter', makeRow: specRow('param') });
  (init.params || []).forEach(params.add);
  return {
    el: h('div', { class: 'command-block', testid: 'command-block' },
      h('div', { class: 'row' }, name, removeButton('remove-command', 'Remove this command', remove)),
      params.el),
    name,
    params,
    value: () => ({ name: name.value.trim(), params: params.rows.map((r) => r.value()) }),
  };
}

function controllerTypeForm(pg, created) {
  const commands = rowEditor({ testid: 'controller-type-commands', addLabel: '+ Add command', makeRow: commandBlock });
  commands.add();
  return typeForm('controller', pg, created, {
    members: h('fieldset', {}, h('legend', {}, 'Commands it takes, with their parameters'), commands.el),
    body: () => ({ commands: commands.rows.map((c) => c.value()) }),
    paths: () => [['commands', commands.addButton],
      ...commands.rows.flatMap((c, i) => [[`commands[${i}]`, c.name], [`commands[${i}].name`, c.name],
        ...c.params.rows.flatMap((p, j) => [[`commands[${i}].params[${j}].name`, p.name], [`commands[${i}].params[${j}].type`, p.type]])])],
    reset: () => commands.reset([{}]),
  });
}
