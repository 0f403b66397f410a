import { pgTextProblem } from './pg-text.ts';

/** Where the next page of findings starts: the last row's last_seen_at in epoch microseconds, and its id. */
export interface FindingCursor {
  /** A decimal string, as pg returns a bigint. */
  lastSeenMicros: string;
  id: string;
}

/** A cursor the client did not get from us (or mangled): the HTTP layer answers 400. */
export class InvalidCursorError extends Error {
  constructor(options?: ErrorOptions) {
    super('invalid cursor', options);
    this.name = 'InvalidCursorError';
  }
}

/** Opaque to clients so the ordering can change without breaking their links; base64url so it sits in a query string. */
export const encodeCursor = (cursor: FindingCursor): string =>
  Buffer.from(JSON.stringify([cursor.lastSeenMicros, cursor.id])).toString('base64url');

export function decodeCursor(text: string): FindingCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch (err) {
    throw new InvalidCursorError({ cause: err });
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw new InvalidCursorError();
  const [lastSeenMicros, id] = parsed as unknown[];
  // At most 16 digits keeps the timestamp inside PostgreSQL's range, so a forged cursor cannot make the query fail.
  if (typeof lastSeenMicros !== 'string' || !/^-?\d{1,16}$/.test(lastSeenMicros) || typeof id !== 'string') {
    throw new InvalidCursorError();
  }
  // The id goes to PostgreSQL as text: a forged one holding NUL must be bad input, not a failed query.
  if (pgTextProblem(id) !== null) throw new InvalidCursorError();
  return { lastSeenMicros, id };
}
