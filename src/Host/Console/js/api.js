// The engine's HTTP API, with the operator's bearer token when one is set. The token lives in sessionStorage only:
// it goes with this tab and is never written into the page or a URL.

const TokenKey = 'surveillance.console.token';

export const token = {
  get: () => sessionStorage.getItem(TokenKey) ?? '',
  set: (value) => (value ? sessionStorage.setItem(TokenKey, value) : sessionStorage.removeItem(TokenKey)),
};

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

const unauthorizedListeners = new Set();

/** Calls back with the problem's detail each time the API answers 401. */
export function onUnauthorized(listener) {
  unauthorizedListeners.add(listener);
}

export function headers(extra = {}) {
  const all = { ...extra };
  const value = token.get();
  if (value) all.Authorization = `Bearer ${value}`;
  return all;
}

/** The answer to a request, or an ApiError with the problem's detail. */
export async function request(path, { method = 'GET', body, signal, accept = 'application/json' } = {}) {
  const init = { method, signal, cache: 'no-store', headers: headers({ Accept: accept }) };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (response.ok) return response;
  const detail = await problemDetail(response);
  if (response.status === 401) unauthorizedListeners.forEach((listener) => listener(detail));
  throw new ApiError(response.status, detail);
}

export async function problemDetail(response) {
  try {
    const problem = await response.json();
    return problem.detail ?? problem.title ?? `${response.status} ${response.statusText}`;
  } catch {
    return `${response.status} ${response.statusText}`;
  }
}

export const getJson = async (path, options) => (await request(path, options)).json();

export const postJson = async (path, body) => (await request(path, { method: 'POST', body })).json();

export const deleteResource = (path) => request(path, { method: 'DELETE' });

/**
 * An object URL for an image the API serves (frames, snapshots), fetched with the token (an <img src> could not send
 * it); null when there is none (404). The caller revokes it.
 */
export async function imageUrl(path, signal) {
  try {
    const response = await request(path, { signal, accept: 'image/jpeg' });
    return URL.createObjectURL(await response.blob());
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

/** A path segment, escaped: ids come from the API and may hold anything. */
export const segment = (value) => encodeURIComponent(value);
