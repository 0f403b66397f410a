// The JSON paths of the watched-system file (`$.Value.OrderNo`, `$.Headers."cap-msg-id"`, `$.items[0].sku`): the
// SQL/JSON path syntax's plain member and index steps, nothing else. Parsed once at start, so a bad path is a
// configuration error naming its key; read in JavaScript from values the adapters fetched.

export type JsonPathStep = { key: string } | { index: number };

export class JsonPathError extends Error {}

const STEP = /^(?:\.([A-Za-z_$][A-Za-z0-9_$]*)|\."((?:[^"\\]|\\.)*)"|\[(\d+)\])/;

/** `$` followed by `.name`, `."any name"` or `[index]` steps. Throws a JsonPathError saying what is wrong. */
export function parseJsonPath(path: string): JsonPathStep[] {
  if (!path.startsWith('$')) throw new JsonPathError(`a JSON path starts with $, got "${path}"`);
  const steps: JsonPathStep[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const match = STEP.exec(rest);
    if (!match) throw new JsonPathError(`cannot read "${rest}" in JSON path "${path}" (use .name, ."a-name" or [0])`);
    if (match[1] !== undefined) steps.push({ key: match[1] });
    else if (match[2] !== undefined) steps.push({ key: match[2].replace(/\\(.)/g, '$1') });
    else steps.push({ index: Number(match[3]) });
    rest = rest.slice(match[0].length);
  }
  if (steps.length === 0) throw new JsonPathError(`JSON path "${path}" names no field`);
  return steps;
}

/**
 * The value at the path, or undefined when any step is missing. Own properties only: a body someone else wrote may
 * hold `__proto__` or `constructor` keys, which must read as data, never walk a prototype.
 */
export function readJsonPath(value: unknown, steps: readonly JsonPathStep[]): unknown {
  let current = value;
  for (const step of steps) {
    if ('index' in step) {
      if (!Array.isArray(current)) return undefined;
      current = current[step.index];
    } else {
      if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
      if (!Object.hasOwn(current, step.key)) return undefined;
      current = (current as Record<string, unknown>)[step.key];
    }
  }
  return current;
}

/** A key read from JSON as the text Recon compares keys in: strings as they are, integral numbers in decimal. */
export function toKeyText(value: unknown): string | null {
  if (typeof value === 'string') return value.length > 0 ? value : null;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  return null;
}

/** Integers longer than this may not survive as a JavaScript number (2^53 has 16 digits). */
const SAFE_DIGITS = 15;

/**
 * JSON.parse, except that an integer too long for a JavaScript number (a 19-digit snowflake id) is read as its
 * decimal text, so a key in a body is never rounded. Throws as JSON.parse does on text that is not JSON.
 */
export function parseJsonKeepingIntegers(text: string): unknown {
  // JSON.parse decides what is JSON; the rewrite below only changes how long integers in valid JSON are read.
  const parsed: unknown = JSON.parse(text);
  let out = '';
  let from = 0;
  let isInString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isInString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) isInString = false;
      continue;
    }
    if (c === 0x22) {
      isInString = true;
      continue;
    }
    const isNumberStart = c === 0x2d || (c >= 0x30 && c <= 0x39);
    if (!isNumberStart) continue;
    let end = i + 1;
    while (end < text.length && /[0-9eE.+-]/.test(text[end]!)) end++;
    const token = text.slice(i, end);
    if (/^-?\d+$/.test(token) && token.replace('-', '').length > SAFE_DIGITS) {
      out += `${text.slice(from, i)}"${token}"`;
      from = end;
    }
    i = end - 1;
  }
  return from === 0 ? parsed : JSON.parse(out + text.slice(from));
}
