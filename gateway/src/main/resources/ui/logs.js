// The last lines of a log (a workload's, an app instance's): a monospace box with a Refresh button.

import { apiText } from './api.js';
import { h, busy } from './dom.js';

/**
 * The box: `load()` reads `path()` (a text/plain logs route, at most `lines` lines asked for),
 * `clear()` empties it; `what()` names whose log it is in errors. Parts, to lay out as the caller
 * likes: `text`, `info`, `error`, `refresh`. testids: `logs-text`, `logs-info`, `logs-error`,
 * `logs-refresh`.
 */
export function logsBox({ lines, path, what }) {
  const text = h('pre', { class: 'logs', testid: 'logs-text', tabindex: 0 });
  const info = h('small', { class: 'muted', testid: 'logs-info' });
  const error = h('p', { class: 'form-error', role: 'alert', testid: 'logs-error', hidden: true });
  const refresh = h('button', { type: 'button', class: 'small', testid: 'logs-refresh', onclick: () => load() }, 'Refresh');
  let asked = 0;

  async function load() {
    const mine = ++asked;
    busy(refresh, true);
    error.hidden = true;
    try {
      const body = await apiText(path());
      if (mine !== asked) return;
      const count = body ? body.replace(/\n$/, '').split('\n').length : 0;
      text.textContent = body || '(no output yet)';
      text.classList.toggle('muted', !body);
      info.textContent = `${count} ${count === 1 ? 'line' : 'lines'} (the last ${lines} at most), read at ${new Date().toLocaleTimeString()}`;
      text.scrollTop = text.scrollHeight;
    } catch (e) {
      if (mine !== asked || e.handled) return;
      text.textContent = '';
      info.textContent = '';
      error.textContent = `Cannot read the logs of ${what()}: ${e.detail}`;
      error.hidden = false;
    } finally {
      if (mine === asked) busy(refresh, false);
    }
  }

  return {
    text, info, error, refresh, load,
    clear() {
      text.textContent = '';
      info.textContent = '';
    },
  };
}
