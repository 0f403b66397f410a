import type { ErrorJson, InvalidParameter } from './types.ts';

// How the UI talks to Recon: JSON over same-origin fetch with the session cookie. State-changing requests carry the
// CSRF token and a JSON body (the server refuses anything else). A 401 anywhere means the session is gone. Which
// routes there are, and what each answers, is ./endpoints.ts.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The server's error answer; null when there was none (unreachable, or a proxy's page instead of Recon's). */
    readonly body: ErrorJson | null,
  ) {
    super(message);
  }
}

interface SessionHooks {
  csrfToken(): string | null;
  onUnauthorized(): void;
}

let hooks: SessionHooks = { csrfToken: () => null, onUnauthorized: () => {} };

/** Called once by the session store, which owns the token and decides what a 401 does. */
export function bindSession(sessionHooks: SessionHooks): void {
  hooks = sessionHooks;
}

export type Query = Record<string, string | number | undefined | null>;

function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export async function getJson<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
  const response = await request(withQuery(path, query), { method: 'GET', signal });
  return (await readBody(response)) as T;
}

export interface SendOptions {
  headers?: Record<string, string>;
  /** Sign-in answers 401 for a wrong password: that is an error to show, not an expired session. */
  isSignIn?: boolean;
}

export async function sendJson<T>(
  method: 'POST' | 'DELETE',
  path: string,
  body: unknown,
  options: SendOptions = {},
): Promise<{ body: T; headers: Headers }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  const token = hooks.csrfToken();
  if (token) headers['x-csrf-token'] = token;
  const response = await request(path, { method, headers, body: JSON.stringify(body) }, options.isSignIn);
  return { body: (await readBody(response)) as T, headers: response.headers };
}

async function request(path: string, init: RequestInit, isSignIn = false): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, credentials: 'same-origin', headers: { ...init.headers } });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, `Recon is unreachable: ${err instanceof Error ? err.message : String(err)}`, null);
  }
  if (response.ok) return response;
  const body = await readBody(response).catch(() => null);
  if (response.status === 401 && !isSignIn) hooks.onUnauthorized();
  throw new ApiError(response.status, errorText(response, body), isErrorJson(body) ? body : null);
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204) return null;
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The server's message (and a 400's refused parameters); otherwise, e.g. a proxy's error page, the HTTP status. */
function errorText(response: Response, body: unknown): string {
  if (!isErrorJson(body)) return `${response.status} ${response.statusText || 'error'}`.trim();
  const { message, details } = body.error;
  const parts = (Array.isArray(details) ? details : [])
    .filter((d): d is InvalidParameter => typeof d === 'object' && d !== null && 'parameter' in d)
    .map((d) => `${String(d.parameter)}: ${String(d.message)}`);
  return parts.length > 0 ? `${message} (${parts.join('; ')})` : message;
}

/** Whether a parsed body is the server's one error shape, `{ error: { code, message, details? } }`. */
export function isErrorJson(body: unknown): body is ErrorJson {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const { error } = body;
  return typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string';
}

export const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));
