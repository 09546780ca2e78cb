// Form plumbing: the error/ok lines under a form, pointing at the field a problem names, and
// lists of rows the user can add to and remove from (fields, params, attributes).

import { h, busy } from './dom.js';

/**
 * The error and ok lines of a form (testids `<prefix>-error`, `<prefix>-ok`) and the submit
 * button. `run(fields, work, pg)` clears both, runs `work`, and on failure shows the problem's
 * detail and marks the input it names; `fields()` maps API paths to inputs (see markInvalid).
 */
export function formFeedback(prefix, submit) {
  const error = h('p', { class: 'form-error', role: 'alert', testid: prefix + '-error', hidden: true });
  const ok = h('p', { class: 'form-ok', role: 'status', testid: prefix + '-ok', hidden: true });
  let marked = [];
  let slot = null;

  function clear() {
    error.hidden = true;
    ok.hidden = true;
    marked.forEach((el) => el.removeAttribute('aria-invalid'));
    marked = [];
    if (slot) slot.hidden = true;
    slot = null;
  }

  /**
   * Shows `text` as the error, next to the first of `inputs` when it was made by field() (else
   * under the form); marks `inputs` (the elements it is about).
   */
  function fail(text, inputs = []) {
    slot = inputs[0] ? errorSlots.get(inputs[0]) || null : null;
    const target = slot || error;
    target.textContent = text;
    target.hidden = false;
    marked = inputs;
    inputs.forEach((el) => el.setAttribute('aria-invalid', 'true'));
    if (inputs[0]) inputs[0].focus();
  }

  return {
    error,
    ok,
    clear,
    fail,
    done(text) {
      ok.textContent = text;
      ok.hidden = false;
    },
    /** Runs `work` with the button busy; false if it failed (the problem is then on screen). */
    async run(fields, work, pg) {
      clear();
      if (submit) busy(submit, true);
      try {
        await work();
        return true;
      } catch (e) {
        if (e.handled || (pg && !pg.live())) return false;
        fail(e.detail || e.message, markInvalid(e.detail || '', fields()));
        return false;
      } finally {
        if (submit) busy(submit, false);
      }
    },
  };
}

/** The path a problem detail starts with: "fields[0].type: ..." → "fields[0].type". */
export function problemPath(detail) {
  const m = String(detail).match(/^([A-Za-z_][\w.[\]-]*):/);
  return m ? m[1] : null;
}

const leaf = (path) => path.replace(/\[\d+\]/g, '').split('.').pop();
const head = (path) => path.split(/[.[]/)[0];

/**
 * The inputs a problem detail is about. `fields` maps API paths ("name", "fields[1].type",
 * "location.lat", "attributes.room") to an input or an array of inputs. Tried in order: the
 * exact path; an input with the same last segment holding the value the detail quotes (nested
 * checks may name only "name: 'x' ..."); the first path segment.
 */
export function markInvalid(detail, fields) {
  const path = problemPath(detail);
  if (!path) return [];
  const list = (v) => (v == null ? [] : Array.isArray(v) ? v : [v]);
  const exact = list(fields.get(path));
  const quoted = (String(detail).match(/'([^']*)'/) || [])[1];
  if (quoted !== undefined && !exact.some((el) => el.value === quoted)) {
    for (const [p, v] of fields) {
      const hit = list(v).filter((el) => leaf(p) === leaf(path) && el.value === quoted);
      if (hit.length) return hit;
    }
  }
  return exact.length ? exact : list(fields.get(head(path)));
}

/**
 * An editable list of rows. `makeRow(init, remove)` returns {el, ...}; the editor keeps them in
 * order. testids: `<testid>` on the list, `<testid>-add` on the add button.
 */
export function rowEditor({ testid, addLabel, makeRow }) {
  const list = h('div', { class: 'rows', testid });
  const rows = [];

  function remove(row) {
    rows.splice(rows.indexOf(row), 1);
    row.el.remove();
  }

  function add(init) {
    const row = makeRow(init, () => remove(row));
    rows.push(row);
    list.append(row.el);
    return row;
  }

  const addButton = h('button', { type: 'button', class: 'secondary outline small', testid: testid + '-add',
    onclick: () => add().el.querySelector('input')?.focus() }, addLabel);
  return {
    el: h('div', { class: 'row-editor' }, list, addButton),
    addButton,
    rows,
    add,
    /** Empties the list, then adds one row per item of `inits`. */
    reset(inits = []) {
      [...rows].forEach(remove);
      inits.forEach(add);
    },
  };
}

/** The ✕ button that removes a row. */
export function removeButton(testid, label, onclick) {
  return h('button', { type: 'button', class: 'secondary outline small remove', testid, title: label,
    'aria-label': label, onclick }, '✕');
}

/** A <select> of `options` (values, or [value, label] pairs). */
export function select(attrs, options, selected) {
  return h('select', attrs, options.map((o) => {
    const [value, label] = Array.isArray(o) ? o : [o, o];
    return h('option', { value, selected: value === selected }, label);
  }));
}

export const FIELD_TYPES = ['number', 'integer', 'boolean', 'string'];

/** Fails a form from the browser's side, in the API's "path: message" form. */
export function invalid(detail) {
  return Object.assign(new Error(detail), { detail });
}

/** A number typed in a text box: undefined when empty, the raw text when not a number (the API then names it). */
export function numberOrText(value) {
  const v = value.trim();
  if (v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : v;
}

/**
 * Replaces the options of `sel` (after its first `keep` options), keeping the selection when it
 * is still there. Options already equal to `values` are left alone, so that refreshing a list
 * does not disturb someone choosing from it.
 */
export function setOptions(sel, values, keep = 0) {
  const now = [...sel.options].slice(keep).map((o) => o.value);
  if (now.length === values.length && now.every((v, i) => v === String(values[i]))) return;
  const current = sel.value;
  while (sel.options.length > keep) sel.remove(keep);
  values.forEach((v) => sel.append(h('option', { value: v }, v)));
  if ([...sel.options].some((o) => o.value === current)) sel.value = current;
}

const errorSlots = new WeakMap();

/**
 * A labelled input with its own error line (testid `<control's testid>-error`): a form's
 * problem about this control is shown there, next to it, rather than under the form.
 */
export function field(text, control, hint) {
  return h('label', {}, text, control, errorSlot(control), hint ? h('small', { class: 'muted' }, hint) : null);
}

/**
 * The error line of `control` (testid `<control's testid>-error`), to place near it: a form's
 * problem about the control is shown there (see formFeedback). For groups of inputs too, e.g. a
 * fieldset of checkboxes (give it tabindex -1, so that the problem can focus it).
 */
export function errorSlot(control) {
  const slot = h('small', { class: 'field-error', role: 'alert', hidden: true,
    testid: control.dataset.testid ? control.dataset.testid + '-error' : null });
  errorSlots.set(control, slot);
  return slot;
}

/** A labelled input: label text above the control. */
export function labelled(text, control, hint) {
  return h('label', {}, text, control, hint ? h('small', { class: 'muted' }, hint) : null);
}
