import { type JsonPathStep, parseJsonKeepingIntegers, readJsonPath, toKeyText } from '../watched-system/json-path.ts';

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
  /** The key at the flow's order id path, as text (a uuid lower-cased); null when there is none. */
  orderId: string | null;
}

/** Never throws: every body, however hostile, yields facts that can be stored. */
export function inspectBody(content: Buffer, maxBytes: number, orderIdPath: readonly JsonPathStep[]): BodyFacts {
  const isTruncated = content.length > maxBytes;
  const facts = { body: isTruncated ? content.subarray(0, maxBytes) : content, size: content.length, isTruncated };
  // A truncated body is never parsed: half a document is not the message, and parsing is bounded by the cap.
  const parsed = isTruncated ? undefined : parseJson(content);
  if (parsed === undefined) return { ...facts, isParseable: false, orderId: null };
  return { ...facts, isParseable: true, orderId: orderIdOf(parsed, orderIdPath) };
}

/** Decodes UTF-8 strictly: null for invalid bytes, which a lenient decode would silently replace. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

interface ParsedJson {
  text: string;
  value: unknown;
}

function parseJson(content: Buffer): ParsedJson | undefined {
  const text = decodeUtf8(content);
  if (text === null || nestsDeeperThan(text, MAX_JSON_DEPTH)) return undefined;
  try {
    // JSON.parse defines keys as own data properties: a `__proto__` key is data, it never sets a prototype.
    return { text, value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/** An order id is indexed (the letter's, its finding's evidence): anything longer is not an id, whatever it says. */
const MAX_KEY_LENGTH = 255;

/**
 * The key at the path (own properties only), or null. Whether a body is JSON stays JSON.parse's answer:
 * parseJsonKeepingIntegers quotes long digit runs first, so it accepts some text that is not JSON
 * (`{1234567890123456789:1}`). It reads the body again only for a number JSON.parse may have rounded.
 */
function orderIdOf({ text, value }: ParsedJson, path: readonly JsonPathStep[]): string | null {
  let key = readJsonPath(value, path);
  if (typeof key === 'number' && !Number.isSafeInteger(key)) {
    try {
      key = readJsonPath(parseJsonKeepingIntegers(text), path);
    } catch {
      return null; // inspectBody never throws, whatever the helper makes of a body JSON.parse accepted
    }
  }
  const id = toKeyText(key);
  // PostgreSQL's text rejects U+0000: such a key names no row, and must not make the letter fail to store.
  if (id === null || id.length > MAX_KEY_LENGTH || id.includes('\u0000')) return null;
  // PostgreSQL prints uuids lower-case; other keys are compared as written.
  return UUID_SHAPE.test(id) ? id.toLowerCase() : id;
}
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
