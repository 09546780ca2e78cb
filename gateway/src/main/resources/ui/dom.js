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
