// The "new deployment" form (admin): what to run (a command line or a container image), how many
// replicas, the resources each reserves, an optional node to pin it to and its environment.
// A problem the API names is shown next to the field it names.

import { api } from './api.js';
import { h } from './dom.js';
import { field, formFeedback, invalid, numberOrText, select, setOptions } from './forms.js';

/** The form; `created(deployment)` is called after each creation. */
export function deploymentForm(pg, created) {
  const input = (testid, attrs = {}) => h('input', { testid, autocomplete: 'off', ...attrs });
  const name = input('deployment-name', { required: true, placeholder: 'e.g. web' });
  const kindCommand = h('input', { type: 'radio', name: 'deployment-what', value: 'command', checked: true, testid: 'deployment-what-command' });
  const kindImage = h('input', { type: 'radio', name: 'deployment-what', value: 'image', testid: 'deployment-what-image' });
  const command = input('deployment-command', { placeholder: 'sleep 300', spellcheck: 'false' });
  const image = input('deployment-image', { placeholder: 'e.g. nginx:1.27', spellcheck: 'false' });
  const replicas = input('deployment-replicas', { inputmode: 'numeric', value: '1' });
  const cpu = input('deployment-cpu', { inputmode: 'decimal', placeholder: '0 = best effort' });
  const memory = input('deployment-memory', { inputmode: 'numeric', placeholder: '0 = best effort' });
  const node = select({ testid: 'deployment-node' }, [['', 'any node (the deployer chooses)']]);
  const env = h('textarea', { testid: 'deployment-env', rows: 3, spellcheck: 'false', placeholder: 'GREETING=hello\nLOG_LEVEL=debug' });
  const submit = h('button', { type: 'submit', testid: 'deployment-submit' }, 'Create deployment');
  const feedback = formFeedback('deployment', submit);

  const commandField = field('Command', command,
    'split on spaces; for arguments with spaces give a JSON array, e.g. ["sh", "-c", "echo hi; sleep 60"]');
  const imageField = field('Container image', image, 'runs on nodes with the docker runtime');
  const syncWhat = () => {
    commandField.hidden = !kindCommand.checked;
    imageField.hidden = kindCommand.checked;
  };
  kindCommand.addEventListener('change', syncWhat);
  kindImage.addEventListener('change', syncWhat);
  syncWhat();

  const paths = () => new Map([['name', name], ['command', command], ['image', image], ['replicas', replicas],
    ['resources', [cpu, memory]], ['resources.cpu', cpu], ['resources.memoryMb', memory], ['node', node], ['env', env]]);

  async function loadNodes() {
    try {
      const nodes = await api('GET', '/api/v1/nodes');
      if (pg.live()) setOptions(node, nodes.map((n) => n.name), 1);
    } catch {
      // the select then offers "any node" only; the nodes page says why nodes cannot be read
    }
  }
  node.addEventListener('focus', loadNodes);

  function body() {
    const what = kindCommand.checked
      ? { command: commandLine(command.value) }
      : { image: required(image.value, 'image: give an image reference, e.g. nginx:1.27') };
    const res = { cpu: numberOrText(cpu.value), memoryMb: numberOrText(memory.value) };
    return {
      name: name.value.trim(),
      ...what,
      replicas: numberOrText(replicas.value),
      resources: res.cpu === undefined && res.memoryMb === undefined ? undefined : res,
      node: node.value || undefined,
      env: envLines(env.value),
    };
  }

  async function onSubmit(ev) {
    ev.preventDefault();
    let made;
    const ok = await feedback.run(paths, async () => {
      try {
        made = await api('POST', '/api/v1/deployments', body());
      } catch (e) {
        // "deployment 'x' already exists" is about the name: show it there
        throw e.status === 409 ? invalid('name: ' + e.detail) : e;
      }
    }, pg);
    if (!ok || !pg.live()) return;
    feedback.done(`Created ${made.name}: ${made.replicas} ${made.replicas === 1 ? 'replica' : 'replicas'} to place.`);
    [name, command, image, cpu, memory, env].forEach((el) => { el.value = ''; });
    replicas.value = '1';
    node.value = '';
    created(made);
  }

  const el = h('article', { class: 'panel' },
    h('header', {}, h('strong', {}, 'New deployment')),
    h('form', { testid: 'deployment-form', onsubmit: onSubmit, novalidate: true },
      h('div', { class: 'grid' }, field('Name', name, 'lower case, digits and -'), field('Replicas', replicas, '0 to 100')),
      h('fieldset', { class: 'what' }, h('legend', {}, 'Runs'),
        h('label', {}, kindCommand, 'a command'), h('label', {}, kindImage, 'a container image')),
      commandField,
      imageField,
      h('div', { class: 'grid' }, field('CPU cores per replica', cpu, 'fractions allowed, e.g. 0.5'),
        field('Memory per replica (MiB)', memory), field('Node', node, 'pin every replica to one node')),
      field('Environment', env, 'one KEY=VALUE per line'),
      h('div', { class: 'form-foot' }, submit, feedback.error, feedback.ok)));
  loadNodes();
  return { el };
}

function required(value, problem) {
  const v = value.trim();
  if (!v) throw invalid(problem);
  return v;
}

/** "sleep 300" → ["sleep", "300"]; a JSON array is taken as it is. */
export function commandLine(text) {
  const line = required(text, 'command: give the program to run and its arguments, e.g. sleep 300');
  if (!line.startsWith('[')) return line.split(/\s+/);
  let args;
  try {
    args = JSON.parse(line);
  } catch (e) {
    throw invalid(`command: not a JSON array (${e.message})`);
  }
  if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) throw invalid('command: a JSON array of strings');
  return args;
}

/** KEY=VALUE lines (blank lines and # comments skipped) → {KEY: VALUE}; undefined when there are none. */
export function envLines(text) {
  const env = {};
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    if (eq <= 0) throw invalid(`env: line ${i + 1} is not KEY=VALUE`);
    const key = line.slice(0, eq).trim();
    if (key in env) throw invalid(`env.${key}: appears twice`);
    env[key] = raw.slice(raw.indexOf('=') + 1);
  });
  return Object.keys(env).length ? env : undefined;
}
