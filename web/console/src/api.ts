import type { List, Me } from './types';

// The console signs in with the HttpOnly session cookie. The bearer token in the login
// answer is ignored on purpose: nothing secret is kept in localStorage. The CSRF token
// lives in memory only and is read again from /api/me on every page load.

/** ApiError is a failed call: the HTTP status (0 when the server was not reached) and the server's error body. */
export class ApiError extends Error {
  status: number;
  code: string;
  fields: Record<string, string>;
  retryAfter: number | null; // seconds
  /** The whole answer, for errors that carry more than fields (a procurement's failed checks). */
  body: unknown = null;

  constructor(status: number, code: string, message: string, fields?: Record<string, string>, retryAfter?: number | null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields ?? {};
    this.retryAfter = retryAfter ?? null;
  }
}

let csrfToken = '';
let onUnauthorized: (() => void) | null = null;

/** setCsrfToken keeps the token sent with every write. */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

/** setUnauthorizedHandler names what to do when a call finds the session gone. */
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

interface CallOptions {
  signal?: AbortSignal;
  /** The caller handles 401 itself (login, the first /api/me). */
  expect401?: boolean;
}

/** call sends one JSON request and returns the decoded answer (undefined for 204). */
export async function call<T>(method: string, path: string, body?: unknown, opts: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  // FormData (a file upload) goes as multipart with the boundary the browser picks.
  const multipart = body instanceof FormData;
  if (body !== undefined && !multipart) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : multipart ? body : JSON.stringify(body),
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', String(err));
  }

  if (res.status === 204) return undefined as T;
  const data: unknown = await res.json().catch(() => null);
  if (res.ok) return data as T;

  const e = (data as { error?: { code?: string; message?: string; fields?: Record<string, string>; retry_after?: number } } | null)?.error;
  const header = Number(res.headers.get('Retry-After'));
  const retryAfter = e?.retry_after ?? (Number.isFinite(header) && header > 0 ? header : null);
  const apiErr = new ApiError(res.status, e?.code ?? `http_${res.status}`, e?.message ?? res.statusText, e?.fields, retryAfter);
  apiErr.body = data;
  if (res.status === 401 && !opts.expect401 && onUnauthorized) onUnauthorized();
  throw apiErr;
}

/** isAbort tells a cancelled request (the user moved to another page) from a failure. */
export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

export interface LoginAnswer {
  token: string;
  csrf_token: string;
  user: Me;
}

export async function login(username: string, password: string): Promise<Me> {
  const a = await call<LoginAnswer>('POST', '/api/login', { username, password }, { expect401: true });
  setCsrfToken(a.csrf_token);
  return a.user;
}

/** me returns the signed-in user, or null when there is no session. */
export async function me(): Promise<Me | null> {
  try {
    const a = await call<{ user: Me; csrf_token: string }>('GET', '/api/me', undefined, { expect401: true });
    setCsrfToken(a.csrf_token);
    return a.user;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

export async function logout(): Promise<void> {
  try {
    await call<void>('POST', '/api/logout', undefined, { expect401: true });
  } finally {
    setCsrfToken('');
  }
}

export interface ListQuery {
  limit?: number;
  offset?: number;
  q?: string;
}

/** list fetches one page of a collection such as /api/vehicles. */
export function list<T>(path: string, query: ListQuery = {}, signal?: AbortSignal): Promise<List<T>> {
  const p = new URLSearchParams();
  if (query.limit !== undefined) p.set('limit', String(query.limit));
  if (query.offset !== undefined) p.set('offset', String(query.offset));
  if (query.q) p.set('q', query.q);
  const qs = p.toString();
  return call<List<T>>('GET', qs ? `${path}?${qs}` : path, undefined, { signal });
}

/** listAll fetches every item of a collection, page by page (bounded, for lookups and counts). */
export async function listAll<T>(path: string, signal?: AbortSignal, q?: string): Promise<T[]> {
  const pageSize = 200;
  const maxPages = 50;
  const items: T[] = [];
  for (let page = 0; page < maxPages; page++) {
    const r = await list<T>(path, { limit: pageSize, offset: items.length, q }, signal);
    items.push(...(r.items ?? []));
    if (!r.items?.length || items.length >= r.total) break;
  }
  return items;
}
