import type { OpenFinding } from '../ports/findings-store.ts';
import type { Judgement } from '../vocabulary.ts';

/**
 * How stale an open finding's lastSeenAt may get while it stays the same. Rewriting each re-checked finding's row
 * just to move lastSeenAt would be most of a quiet cycle's cost, so it moves once an interval.
 */
export const LAST_SEEN_REFRESH_MS = 60_000;

/**
 * The one rule of which verdicts change the store: an `ok` resolves only an open finding; a mismatch changes a
 * finding that is not open, says something new, or is due its lastSeenAt refresh; `unknown` never changes anything.
 * The store applies exactly what passes (findings-writer.ts), so nearly every verdict of a changed row (an `ok` about
 * nothing open) and every re-checked finding that is still the same never reach it.
 */
export function changesStore(open: OpenFinding | undefined, judgement: Judgement, now: Date): boolean {
  if (judgement.verdict === 'ok') return open !== undefined;
  if (judgement.verdict !== 'mismatch') return false;
  return (
    open === undefined ||
    open.severity !== judgement.severity ||
    open.lastSeenAt.getTime() < now.getTime() - LAST_SEEN_REFRESH_MS ||
    !isSameJson(open.evidence, judgement.evidence)
  );
}

/**
 * Equality as JSON sees it: object key order does not matter (the store's jsonb reorders keys), a key whose value
 * is undefined is absent (JSON.stringify drops it), and a value with toJSON counts as what it turns into (a Date as
 * its ISO text, which is what the store holds).
 */
export function isSameJson(x: unknown, y: unknown): boolean {
  const [a, b] = [asJson(x), asJson(y)];
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((value, i) => isSameJson(value, b[i]));
  }
  const left = definedEntries(a as Record<string, unknown>);
  const right = b as Record<string, unknown>;
  if (left.length !== definedEntries(right).length) return false;
  return left.every(([key, value]) => Object.hasOwn(right, key) && isSameJson(value, right[key]));
}

const definedEntries = (o: Record<string, unknown>) => Object.entries(o).filter(([, value]) => value !== undefined);

function asJson(value: unknown): unknown {
  const toJSON = (value as { toJSON?: unknown } | null)?.toJSON;
  return typeof toJSON === 'function' ? toJSON.call(value) : value;
}
