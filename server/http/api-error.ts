import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorCode, ErrorJson } from './wire.ts';

/** The code of each status unless the thrower names another (a read-only refusal is a 403 of its own). */
const CODES: Partial<Record<number, ErrorCode>> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'unprocessable',
  429: 'rate-limited',
  500: 'internal',
  503: 'unavailable',
};

export interface ApiErrorOptions {
  code?: ErrorCode;
  details?: unknown;
  /** E.g. WWW-Authenticate on a 401, Retry-After on a 429. */
  headers?: Record<string, string>;
}

/** What handlers, validators and guards throw; the app's one `onError` sends it as an ErrorJson. */
export class ApiError extends HTTPException {
  readonly code: ErrorCode;
  readonly details: unknown;
  readonly headers: Record<string, string>;

  constructor(status: ContentfulStatusCode, message: string, { code, details, headers = {} }: ApiErrorOptions = {}) {
    super(status, { message });
    this.code = code ?? codeOf(status);
    this.details = details;
    this.headers = headers;
  }
}

export const errorJson = (code: ErrorCode, message: string, details?: unknown): ErrorJson => ({
  error: details === undefined ? { code, message } : { code, message, details },
});

/**
 * What the client may see of any error: an ApiError as thrown, another HTTPException (hono's own) below 500 in its
 * own words, anything else as "internal error" only: its message may hold a connection string or SQL.
 */
export function toApiError(err: Error): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof HTTPException && err.status < 500) return new ApiError(err.status, err.message || 'bad request');
  return new ApiError(500, 'internal error');
}

export const sendError = (c: Context, err: ApiError) =>
  c.json<ErrorJson>(errorJson(err.code, err.message, err.details), err.status, err.headers);

const codeOf = (status: number): ErrorCode => CODES[status] ?? (status >= 500 ? 'internal' : 'bad-request');
