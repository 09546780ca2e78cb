// The session token and the REST client every page uses (see API.md).

export const SESSION_KEY = 'lattice.session';
export const LOGIN_PATH = '/api/v1/auth/login';
const PAGE = 100;

/** The stored login ({token, role, expiresAt}), or null when there is none or it has expired. */
export function session() {
  try {
    const s = JSON.parse(sessionStorage.getItem(SESSION_KEY));
    if (!s || !s.token) return null;
    if (s.expiresAt && Date.parse(s.expiresAt) <= Date.now()) {
      sessionStorage.removeItem(SESSION_KEY);
      return null;
    }
    return s;
  } catch {
    return null;
  }
}

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && problem.detail) || `the gateway answered ${status}`);
    this.status = status;
    this.problem = problem || {};
    this.detail = this.message;
    this.handled = false;
  }
}

let unauthorized = () => {};

/** What to do when the gateway refuses the session's token (the app ends the session). */
export function onUnauthorized(fn) {
  unauthorized = fn;
}

/** Calls the API as the signed-in user. A 401 ends the session (the error comes back `handled`). */
export async function api(method, path, body) {
  const { res, text } = await send(method, path, body, 'application/json');
  const data = parse(text);
  if (res.ok) return data;
  throw failure(res, path, data);
}

/** GETs a text/plain route (e.g. logs) as the signed-in user; errors as for api(). */
export async function apiText(path) {
  const { res, text } = await send('GET', path, undefined, 'text/plain, application/problem+json');
  if (res.ok) return text;
  throw failure(res, path, parse(text));
}

/**
 * POSTs `form` (a FormData, sent as multipart/form-data) as the signed-in user, reporting
 * `progress(sent, total)` as the body goes out. XMLHttpRequest, not fetch: only it reports
 * upload progress. Answers and errors as for api().
 */
export function upload(path, form, progress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('Accept', 'application/json');
    const s = session();
    if (s) xhr.setRequestHeader('Authorization', 'Bearer ' + s.token);
    xhr.upload.onprogress = (e) => progress?.(e.loaded, e.lengthComputable ? e.total : 0);
    xhr.onload = () => {
      const data = parse(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) resolve(data);
      else reject(failure(xhr, path, data));
    };
    xhr.onerror = () => reject(new ApiError(0, { detail: 'cannot reach the gateway (the upload was cut off)' }));
    xhr.send(form);
  });
}

async function send(method, path, body, accept) {
  const s = session();
  const headers = { Accept: accept };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (s && path !== LOGIN_PATH) headers.Authorization = 'Bearer ' + s.token;
  try {
    const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { res, text: await res.text() };
  } catch (e) {
    throw new ApiError(0, { detail: 'cannot reach the gateway (' + e.message + ')' });
  }
}

function parse(text) {
  if (!text) return null;
  try { return JSON.parse(text); } catch { return { detail: text }; }
}

function failure(res, path, data) {
  const error = new ApiError(res.status, data);
  if (res.status === 401 && path !== LOGIN_PATH) {
    error.handled = true;
    unauthorized(error);
  }
  return error;
}

/** Every item of a paged list route (`?limit=&offset=`); `path` may carry its own query. */
export async function listAll(path) {
  const items = [];
  const sep = path.includes('?') ? '&' : '?';
  for (let offset = 0; ; offset += PAGE) {
    const batch = await api('GET', `${path}${sep}limit=${PAGE}&offset=${offset}`);
    items.push(...batch);
    if (batch.length < PAGE) return items;
  }
}

/** A query string of the non-empty entries of `params` ('' when there are none). */
export function query(params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value != null && String(value).trim() !== '') q.set(key, String(value).trim());
  }
  const s = q.toString();
  return s ? '?' + s : '';
}
