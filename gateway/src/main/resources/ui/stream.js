// Following a server-sent event stream of the API (a sensor's readings, the platform's events, an
// app instance's outputs) for as long as a page is on screen.

import { api, session } from './api.js';

const RETRY_MS = 3000; // before reopening a stream the server closed

/**
 * Follows the SSE route `path` while the page is open, giving each `event` (parsed JSON) to
 * `onItem`. The token goes in `?access_token=`, since an EventSource cannot send headers.
 * `onOpen()` runs on each (re)open, to read what came before (its failure is reported as
 * "Cannot read <missed>"). The browser reconnects by itself after network errors; when the server
 * refuses or ends the stream, `check` (a GET route) is asked why — an expired session ends
 * there — and the stream is reopened after RETRY_MS. `onState` gets 'live', 'reconnecting' and
 * 'closed'; `onFail(text)` a sentence to show.
 */
export function follow(pg, { path, event, check, onItem, onOpen, onState, onFail, missed = 'what came before', name = 'The stream' }) {
  let source = null;
  function open() {
    const s = session();
    if (!s || !pg.live()) return;
    source = new EventSource(`${path}${path.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(s.token)}`);
    source.addEventListener('open', () => {
      onState('live');
      onOpen().catch((e) => !e.handled && pg.live() && onFail(`Cannot read ${missed}: ${e.detail}`));
    });
    source.addEventListener(event, (ev) => onItem(JSON.parse(ev.data)));
    source.addEventListener('error', () => {
      if (source.readyState !== EventSource.CLOSED) return onState('reconnecting');
      onState('closed');
      source.close();
      api('GET', check)
        .then(() => pg.after(RETRY_MS, open))
        .catch((e) => !e.handled && pg.live() && onFail(`${name} stopped: ${e.detail}`));
    });
  }
  open();
  pg.onClose(() => source?.close());
}
