// The wire contract: what the routes send, as JSON carries it. Every string here may be attacker-controlled: render
// it as text.

/** Every error, from any route: `details` only where it helps (a 400 lists each refused parameter). */
export interface ErrorJson {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export type ErrorCode =
  | 'bad-request'
  | 'unauthorized'
  | 'forbidden'
  | 'read-only'
  | 'not-found'
  | 'conflict'
  | 'unsupported-media-type'
  | 'unprocessable'
  | 'rate-limited'
  | 'internal'
  | 'unavailable';

/** A 400's `details`: one entry per refused parameter. */
export interface InvalidParameter {
  parameter: string;
  message: string;
}
