// PostgreSQL `text` cannot hold NUL (the query fails), and a lone UTF-16 surrogate is written as U+FFFD, so the row
// would silently hold another value than the one asked for. Input holding either is refused where it enters.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `text` cannot be stored as PostgreSQL text unchanged, or null when it can. */
export function pgTextProblem(text: string): string | null {
  if (text.includes('\0')) return 'must not contain a NUL character';
  if (LONE_SURROGATE.test(text)) return 'must not contain a lone UTF-16 surrogate';
  return null;
}
