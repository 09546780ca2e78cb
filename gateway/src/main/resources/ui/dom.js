// DOM helpers shared by every page of the console. Data is always set as text, never as HTML.

/** Creates an element: attrs (on* = listener, testid = data-testid), then children (text or nodes). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value == null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'testid') el.dataset.testid = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child != null && child !== false) el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** Shows `status` in a coloured badge (class status-<status>). */
export function setBadge(el, status) {
  const s = String(status || 'UNKNOWN');
  el.className = 'badge status-' + s.toLowerCase();
  el.textContent = s;
  return el;
}

export function statusBadge(status, testid) {
  return setBadge(h('span', { testid }), status);
}

/** "just now", "3.2 s ago", or the local time of day. */
export function ago(iso) {
  const ms = Date.now() - Date.parse(iso);
  if (!Number.isFinite(ms)) return '';
  return ms < 1000 ? 'just now' : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s ago` : new Date(iso).toLocaleTimeString();
}

/** The local time of an ISO instant, with milliseconds. */
export function clock(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toLocaleTimeString([], { hour12: false }) + '.' + String(d.getMilliseconds()).padStart(3, '0');
}

/** The local time of day of an ISO instant, to the second: "14:08:58". */
export function timeOfDay(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleTimeString([], { hour12: false });
}

/** Marks a button busy (and disabled) while its request runs. */
export function busy(button, on) {
  button.disabled = on;
  if (on) button.setAttribute('aria-busy', 'true');
  else button.removeAttribute('aria-busy');
}

/** A page heading: title and one line of explanation. */
export function heading(title, text) {
  return h('hgroup', {}, h('h2', {}, title), h('p', {}, text));
}

/** Small pills, e.g. the fields of a type or the attributes of an instance. */
export function chips(items, empty = 'none') {
  if (items.length === 0) return h('span', { class: 'muted' }, empty);
  return h('span', { class: 'chips' }, items.map((text) => h('span', { class: 'chip' }, text)));
}

/**
 * The rows of a table that refreshes in place: `show(items)` updates the row of each item
 * (`make(item)` builds {el, update(item)} the first time its key is seen), puts them in the
 * items' order and drops the others. Rows are kept, not rebuilt, so a button, a confirmation or
 * the focus inside one survives each refresh. `empty()` is the row shown when there are none.
 */
export function liveRows(tbody, { key, make, empty }) {
  const rows = new Map();
  let placeholder = null;
  return {
    rows,
    show(items) {
      const seen = new Set();
      const els = items.map((item) => {
        const k = key(item);
        seen.add(k);
        let row = rows.get(k);
        if (!row) rows.set(k, (row = make(item)));
        row.update(item);
        return row.el;
      });
      for (const k of [...rows.keys()]) if (!seen.has(k)) rows.delete(k);
      if (!els.length && empty) els.push((placeholder = placeholder || empty()));
      els.forEach((el, i) => {
        if (tbody.children[i] !== el) tbody.insertBefore(el, tbody.children[i] || null);
      });
      while (tbody.children.length > els.length) tbody.lastChild.remove();
    },
  };
}

/** A horizontal bar for a share of something (0..1): green, amber past 70 %, red past 90 %. */
export function meter(testid, label) {
  const fill = h('span', { class: 'meter-fill' });
  const text = h('small', { class: 'meter-text' });
  const el = h('div', { class: 'meter', testid, role: 'meter', 'aria-label': label, 'aria-valuemin': 0, 'aria-valuemax': 100 },
    h('span', { class: 'meter-track' }, fill), text);
  return {
    el,
    /** Shows `share` (clamped to 0..1) with `caption` beside the bar. */
    set(share, caption) {
      const pct = Math.round(Math.min(1, Math.max(0, Number(share) || 0)) * 100);
      fill.style.width = pct + '%';
      fill.className = 'meter-fill' + (pct > 90 ? ' high' : pct > 70 ? ' raised' : '');
      el.setAttribute('aria-valuenow', pct);
      el.dataset.value = String(pct);
      text.textContent = caption;
    },
  };
}
