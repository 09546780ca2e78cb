// The "upload a model" form (admin, data scientist): the ONNX file, its contract and its config,
// sent as one multipart request with a progress bar. The API's problem is shown under the form,
// with the file it is about marked.

import { upload } from './api.js';
import { h } from './dom.js';
import { formFeedback, invalid, labelled } from './forms.js';

/** The form; `uploaded({name, version, status})` is called after each upload the API accepts. */
export function modelUploadForm(pg, uploaded) {
  const file = (testid, accept) => h('input', { type: 'file', testid, accept });
  const model = file('model-upload-model', '.onnx');
  const contract = file('model-upload-contract', '.yaml,.yml,.json');
  const config = file('model-upload-config', '.yaml,.yml,.json');
  const progress = h('progress', { testid: 'model-upload-progress', max: 100, value: 0, hidden: true });
  const percent = h('small', { class: 'muted', testid: 'model-upload-percent' });
  const submit = h('button', { type: 'submit', testid: 'model-upload-submit' }, 'Upload');
  const feedback = formFeedback('model-upload', submit);

  // the config's fields are checked by the API ("name: ...", "version: ..."): they are about the config file
  const paths = () => new Map([['model', model], ['contract', contract], ['config', config],
    ...['name', 'version', 'format', 'replicas', 'resources'].map((k) => [k, config])]);

  function showProgress(sent, total) {
    const pct = total ? Math.round((sent / total) * 100) : 0;
    progress.value = pct;
    progress.dataset.value = String(pct);
    percent.textContent = total ? `${pct} % of ${kibibytes(total)}` : `${kibibytes(sent)} sent`;
  }

  function formData() {
    const form = new FormData();
    for (const [part, input, what] of [['model', model, 'the model file (.onnx)'],
      ['contract', contract, 'the contract (.yaml or .json)'], ['config', config, 'the config (.yaml or .json)']]) {
      if (!input.files.length) throw invalid(`${part}: choose ${what}`);
      form.append(part, input.files[0], input.files[0].name);
    }
    return form;
  }

  async function onSubmit(ev) {
    ev.preventDefault();
    let made;
    const ok = await feedback.run(paths, async () => {
      const form = formData();
      progress.hidden = false;
      showProgress(0, 1);
      made = await upload('/api/v1/models', form, showProgress);
    }, pg);
    if (!ok) {
      progress.hidden = true;
      percent.textContent = '';
    }
    if (!ok || !pg.live()) return;
    showProgress(1, 1);
    percent.textContent = 'uploaded';
    feedback.done(`Uploaded ${made.name} version ${made.version} (${made.status}).`);
    [model, contract, config].forEach((el) => { el.value = ''; });
    uploaded(made);
  }

  const el = h('article', { class: 'panel' },
    h('header', {}, h('strong', {}, 'Upload a model'),
      h('small', { class: 'muted' }, 'a new version of a known name adds a version')),
    h('form', { testid: 'model-upload-form', onsubmit: onSubmit, novalidate: true },
      h('div', { class: 'grid' },
        labelled('Model', model, 'ONNX (.onnx)'),
        labelled('Contract', contract, 'how a JSON request becomes the model\'s input (.yaml or .json)'),
        labelled('Config', config, 'name, version, replicas, resources (.yaml or .json)')),
      h('div', { class: 'upload-progress' }, progress, percent),
      h('div', { class: 'form-foot' }, submit, feedback.error, feedback.ok)));
  return { el };
}

/** "12 KiB", "3.4 MiB". */
function kibibytes(bytes) {
  const n = Number(bytes) || 0;
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${Math.max(1, Math.round(n / 1024))} KiB`;
}
