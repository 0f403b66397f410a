import { cleanText, isTable, toJsonLeaf } from './amqp-values.ts';

// A dead letter's header table, kept whole for the operator who reads it (it holds the exception, the tracing ids,
// the library's own marks) within a byte bound, and marked when it is not whole: a silent trim looks like the
// message as it was. A frame holds the whole header table (RabbitMQ's default frame_max is 128 KiB), so a letter from
// a broker with default settings is never trimmed.

/** About this many bytes of JSON per letter's headers (keys and values as stored, escapes included). */
export const MAX_HEADER_BYTES = 1_048_576;
/** Header tables nest rarely (x-death is two levels deep); anything deeper is summarised, not stored. */
const MAX_DEPTH = 16;

export interface StoredHeaders {
  headers: Record<string, unknown>;
  /** Keys of tables and items of arrays, at every depth, as they arrived. */
  entries: number;
  /** Of those, the ones not stored (past the byte bound, or nested too deep). */
  omitted: number;
}

export function toStoredHeaders(table: Record<string, unknown>, maxBytes = MAX_HEADER_BYTES): StoredHeaders {
  const tally = { entries: 0, omitted: 0, bytesLeft: maxBytes };
  const headers = walk(table, 0, tally) as Record<string, unknown>;
  return { headers, entries: tally.entries, omitted: tally.omitted };
}

type Tally = { entries: number; omitted: number; bytesLeft: number };

function walk(value: unknown, depth: number, tally: Tally): unknown {
  if (!isTable(value) && !Array.isArray(value)) return toJsonLeaf(value);
  if (depth >= MAX_DEPTH) {
    const nested = countEntries(value);
    tally.entries += nested;
    tally.omitted += nested;
    return '[nested too deep]';
  }
  const kept: Array<[string, unknown]> = [];
  for (const [key, item] of entriesOf(value)) {
    tally.entries++;
    const name = cleanText(key, 255);
    const shallow = isTable(item) || Array.isArray(item) ? null : toJsonLeaf(item);
    const cost = JSON.stringify(name).length + 2 + (shallow === null ? 2 : JSON.stringify(shallow).length);
    if (cost > tally.bytesLeft) {
      tally.omitted++;
      tally.entries += countEntries(item);
      tally.omitted += countEntries(item);
      continue;
    }
    tally.bytesLeft -= cost;
    kept.push([name, shallow === null ? walk(item, depth + 1, tally) : shallow]);
  }
  // Object.fromEntries defines own properties: a key named `__proto__` is data here, never a prototype.
  return Array.isArray(value) ? kept.map(([, item]) => item) : Object.fromEntries(kept);
}

/**
 * A table's own keys, plus the `__proto__` entry amqplib turned into its prototype (it decodes with
 * `fields[key] = value`). A `__proto__` holding a string, number or boolean is dropped by amqplib before Recon sees it.
 */
function entriesOf(value: object): Array<[string, unknown]> {
  if (Array.isArray(value)) return value.map((item, i) => [String(i), item]);
  const entries: Array<[string, unknown]> = Object.keys(value).map((key) => [
    key,
    (value as Record<string, unknown>)[key],
  ]);
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype) entries.push(['__proto__', prototype]);
  return entries;
}

/** Entries below `value`, counted without recursion (a hostile nesting can be deep). */
function countEntries(value: unknown): number {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const next = stack.pop();
    if (!isTable(next) && !Array.isArray(next)) continue;
    for (const [, item] of entriesOf(next)) {
      count++;
      stack.push(item);
    }
  }
  return count;
}
