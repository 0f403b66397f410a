/**
 * Nesting deeper than this is not treated as JSON: V8's JSON.parse copes with any depth, but JSON.stringify
 * (every API response, every viewer) overflows the stack at a few thousand levels. No real message nests so deep.
 */
export const MAX_JSON_DEPTH = 128;

export interface BodyFacts {
  /** At most `maxBytes` of the content. */
  body: Buffer;
  size: number;
  isTruncated: boolean;
  /** Whole, valid UTF-8, JSON, nesting at most MAX_JSON_DEPTH. */
  isParseable: boolean;
  /** Lower-cased, only from a JSON object's own uuid-shaped `orderId` string. */
  orderId: string | null;
}

/** Never throws: every body, however hostile, yields facts that can be stored. */
export function inspectBody(content: Buffer, maxBytes: number): BodyFacts {
  const isTruncated = content.length > maxBytes;
  const facts = { body: isTruncated ? content.subarray(0, maxBytes) : content, size: content.length, isTruncated };
  // A truncated body is never parsed: half a document is not the message, and parsing is bounded by the cap.
  const parsed = isTruncated ? undefined : parseJson(content);
  if (parsed === undefined) return { ...facts, isParseable: false, orderId: null };
  return { ...facts, isParseable: true, orderId: orderIdOf(parsed.value) };
}

/** Decodes UTF-8 strictly: null for invalid bytes, which a lenient decode would silently replace. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function parseJson(content: Buffer): { value: unknown } | undefined {
  const text = decodeUtf8(content);
  if (text === null || nestsDeeperThan(text, MAX_JSON_DEPTH)) return undefined;
  try {
    // JSON.parse defines keys as own data properties: a `__proto__` key is data, it never sets a prototype.
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

// JSON.parse would reveal `__proto__` only as data, but reading `value.orderId` on a plain object would still walk
// the prototype chain: read the own property, and only from an object.
function orderIdOf(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  if (!Object.hasOwn(value, 'orderId')) return null;
  const orderId = (value as { orderId: unknown }).orderId;
  return typeof orderId === 'string' && UUID_SHAPE.test(orderId) ? orderId.toLowerCase() : null;
}
/** The reference system's order ids: anything else in a body someone else wrote is not taken for one. */
const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One pass over the text, brackets outside strings only; stops as soon as the limit is passed. */
function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let isInString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isInString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) isInString = false;
    } else if (c === 0x22) isInString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
