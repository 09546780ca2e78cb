// A form that uploads a few files as one multipart request with a progress bar (a model with its
// contract and config; an app with its config). The API's problem is shown under the form, with
// the file it is about marked.

import { upload } from './api.js';
import { h } from './dom.js';
import { formFeedback, invalid, labelled } from './forms.js';

/**
 * The form in a panel. `files` are the parts, each `{part, label, accept, hint, what}` (`what`
 * completes "choose ..." when it is missing). `about(inputs)` gives more [problem path, input]
 * pairs (e.g. the config's fields are about the config file); `done(made)` the line shown once
 * the API accepted an upload, then `uploaded(made)` is called. testids: `<prefix>-form`,
 * `<prefix>-<part>`, `<prefix>-progress` (its `data-value` the percentage), `<prefix>-percent`,
 * `<prefix>-submit`, `<prefix>-error`, `<prefix>-ok`.
 */
export function uploadForm(pg, { prefix, path, title, note, files, about = () => [], done, uploaded }) {
  const inputs = Object.fromEntries(files.map((f) => [f.part, h('input', { type: 'file', testid: `${prefix}-${f.part}`, accept: f.accept })]));
  const progress = h('progress', { testid: `${prefix}-progress`, max: 100, value: 0, hidden: true });
  const percent = h('small', { class: 'muted', testid: `${prefix}-percent` });
  const submit = h('button', { type: 'submit', testid: `${prefix}-submit` }, 'Upload');
  const feedback = formFeedback(prefix, submit);
  const paths = () => new Map([...Object.entries(inputs), ...about(inputs)]);

  function showProgress(sent, total) {
    const pct = total ? Math.round((sent / total) * 100) : 0;
    progress.value = pct;
    progress.dataset.value = String(pct);
    percent.textContent = total ? `${pct} % of ${kibibytes(total)}` : `${kibibytes(sent)} sent`;
  }

  function formData() {
    const form = new FormData();
    for (const f of files) {
      const input = inputs[f.part];
      if (!input.files.length) throw invalid(`${f.part}: choose ${f.what}`);
      form.append(f.part, input.files[0], input.files[0].name);
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
      made = await upload(path, form, showProgress);
    }, pg);
    if (!ok) {
      progress.hidden = true;
      percent.textContent = '';
    }
    if (!ok || !pg.live()) return;
    showProgress(1, 1);
    percent.textContent = 'uploaded';
    feedback.done(done(made));
    Object.values(inputs).forEach((el) => { el.value = ''; });
    uploaded(made);
  }

  const el = h('article', { class: 'panel' },
    h('header', {}, h('strong', {}, title), note ? h('small', { class: 'muted' }, note) : null),
    h('form', { testid: `${prefix}-form`, onsubmit: onSubmit, novalidate: true },
      h('div', { class: 'grid' }, files.map((f) => labelled(f.label, inputs[f.part], f.hint))),
      h('div', { class: 'upload-progress' }, progress, percent),
      h('div', { class: 'form-foot' }, submit, feedback.error, feedback.ok)));
  return { el };
}

/** "12 KiB", "3.4 MiB". */
function kibibytes(bytes) {
  const n = Number(bytes) || 0;
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${Math.max(1, Math.round(n / 1024))} KiB`;
}
