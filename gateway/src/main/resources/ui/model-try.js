// "Try it" (every role): send one JSON request to a model's predict route and see its answer and
// how long the round trip took. Problems (not JSON, 400 naming a field, 503 while the model is
// not ready) are shown in the panel.

import { api } from './api.js';
import { h, busy } from './dom.js';
import { invalid } from './forms.js';

/**
 * The panel for `model` (an item of GET /api/v1/models); `close()` is called by its Hide
 * button. testids: `model-try-request`, `model-try-send`, `model-try-answer`,
 * `model-try-latency`, `model-try-error`.
 */
export function tryPanel(pg, model, close) {
  const name = model.name;
  const request = h('textarea', { testid: 'model-try-request', rows: 6, spellcheck: 'false',
    'aria-label': `request to ${name}` });
  request.value = JSON.stringify(sampleRequest(model), null, 2);
  const send = h('button', { type: 'button', testid: 'model-try-send' }, 'Send');
  const latency = h('small', { class: 'muted', testid: 'model-try-latency' });
  const error = h('p', { class: 'form-error', role: 'alert', testid: 'model-try-error', hidden: true });
  const answer = h('pre', { class: 'answer', testid: 'model-try-answer', hidden: true });

  async function onSend() {
    error.hidden = true;
    request.removeAttribute('aria-invalid');
    busy(send, true);
    const started = performance.now();
    try {
      const body = parseRequest(request.value);
      const result = await api('POST', `/api/v1/models/${encodeURIComponent(name)}/predict`, body);
      const ms = performance.now() - started;
      if (!pg.live()) return;
      answer.textContent = JSON.stringify(result, null, 2);
      answer.hidden = false;
      latency.textContent = `answered in ${ms.toFixed(1)} ms`;
      latency.dataset.ms = ms.toFixed(1);
    } catch (e) {
      if (e.handled || !pg.live()) return;
      error.textContent = (e.status ? `${e.status}: ` : '') + e.detail;
      error.hidden = false;
      if (!e.status || e.status === 400) request.setAttribute('aria-invalid', 'true');
    } finally {
      busy(send, false);
    }
  }
  send.addEventListener('click', onSend);

  const el = h('article', { class: 'panel', testid: 'model-try-panel' },
    h('header', {}, h('strong', {}, 'Try ', h('code', { testid: 'model-try-name' }, name)),
      h('small', { class: 'muted' }, 'one JSON object, or an array of them'),
      h('button', { type: 'button', class: 'small secondary outline', testid: 'model-try-close', onclick: close }, 'Hide')),
    signatureLine(model),
    request,
    h('div', { class: 'form-foot' }, send, latency, error),
    answer);
  return { el, name };
}

function parseRequest(text) {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw invalid(`request: not JSON (${e.message})`);
  }
}

/** The version a request goes to: the deployed one, else the newest. */
function versionDetail(model) {
  const details = model.versionDetails || [];
  const version = model.deployed?.version ?? (model.versions || []).at(-1);
  return details.find((d) => String(d.version) === String(version)) || details.at(-1) || null;
}

/**
 * A request to start from: the contract's fields with 0 when the API tells them, else {} (the
 * API's 400 then names the first missing field).
 */
function sampleRequest(model) {
  const example = versionDetail(model)?.example;
  if (example && typeof example === 'object') return example; // a Python contract's config names one
  const fields = versionDetail(model)?.fields || [];
  return Object.fromEntries(fields.map((f) => [typeof f === 'string' ? f : f.name, 0]));
}

/** "inputs: float_input FP32 [-1, 4] · outputs: label INT64 [-1]", from the version's signature. */
function signatureLine(model) {
  const sig = versionDetail(model)?.signature;
  if (!sig) return null;
  const tensors = (list) => (list || []).map((t) => `${t.name} ${t.datatype} [${(t.shape || []).join(', ')}]`).join(', ');
  return h('p', { class: 'muted signature', testid: 'model-try-signature' },
    h('small', {}, `inputs: ${tensors(sig.inputs)} · outputs: ${tensors(sig.outputs)}`));
}
