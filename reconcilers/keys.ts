// Order ids as Recon compares them, whatever the columns holding them: one canonical text per key, and one order
// of keys, chosen by the family of the orders table's id column. Both sides of the full sweep stream their keys in
// this order (the adapters sort them so), and the merge join compares them with the same rule.

/** What the orders' id column holds: its keys' canonical text and order follow from it. */
export type KeyFamily = 'uuid' | 'integer' | 'text';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Decimal without sign clutter or leading zeros (the range is checked apart, to say which is wrong). */
const INTEGER = /^(0|-?[1-9][0-9]*)$/;
const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;

/**
 * Why `text` cannot be a key of this family in canonical form, or null when it can. A reference such as 'TEST-1'
 * where orders are numbered, or '011' (not how the number is written), names no order: it is reported, not judged.
 */
export function keyProblem(text: string, family: KeyFamily): string | null {
  if (text.length === 0) return 'it is empty';
  if (family === 'uuid') return UUID.test(text) ? null : 'it is not a lower-case uuid';
  if (family === 'integer') {
    if (!INTEGER.test(text)) return 'it is not an integer written in decimal without leading zeros';
    const value = BigInt(text);
    return value < INT8_MIN || value > INT8_MAX ? 'it is outside the bigint range' : null;
  }
  return null;
}

/**
 * The canonical text of a key someone typed (a URL, a search): a uuid in lower case, an integer without a sign or
 * leading zeros it does not need. Anything else is returned as written, for `keyProblem` to judge.
 */
export function canonicalKey(text: string, family: KeyFamily): string {
  if (family === 'uuid') return text.toLowerCase();
  if (family === 'integer' && /^[+-]?[0-9]{1,40}$/.test(text)) return BigInt(text).toString();
  return text;
}

/** The key order of a family: numeric for integers, byte order of the UTF-8 text otherwise (SQL's COLLATE "C"). */
export function compareKeysAs(family: KeyFamily): (a: string, b: string) => number {
  return family === 'integer' ? compareIntegers : compareBytes;
}

function compareIntegers(a: string, b: string): number {
  const [negA, negB] = [a.startsWith('-'), b.startsWith('-')];
  if (negA !== negB) return negA ? -1 : 1;
  const byMagnitude = a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
  return negA ? -byMagnitude : byMagnitude;
}

// UTF-8 byte order is code point order. UTF-16 code unit order (JS's <) equals it except for characters above U+FFFF
// (surrogate pairs) against U+E000–U+FFFF; keys holding such pairs are compared code point by code point.
const SURROGATE = /[\uD800-\uDFFF]/;
function compareBytes(a: string, b: string): number {
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const [x, y] = [Array.from(a), Array.from(b)];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const difference = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (difference !== 0) return difference;
  }
  return x.length - y.length;
}
