// AMQP header tables are whatever a producer (or an attacker) put on the wire. These helpers turn them into values
// PostgreSQL accepts every time: a value it rejects would make a dead letter fail to store, be requeued and
// fail again for ever, which is exactly the poison loop custody exists to end.

/** Header tables nest rarely (x-death is two levels deep); anything deeper is summarised, not stored. */
const MAX_DEPTH = 16;
/** Entries kept per table or array. */
const MAX_ENTRIES = 500;

/** PostgreSQL text and jsonb reject U+0000; it becomes U+FFFD. Long texts are clipped to `maxLength`. */
export function cleanText(text: string, maxLength = 10_000): string {
  const clean = text.replaceAll('\u0000', '\uFFFD');
  return clean.length > maxLength ? `${clean.slice(0, maxLength)}…` : clean;
}

/** A non-empty string, cleaned, or null. */
export function textOrNull(value: unknown, maxLength?: number): string | null {
  return typeof value === 'string' && value !== '' ? cleanText(value, maxLength) : null;
}

/**
 * Reads an own property only. amqplib decodes a table into `{}` with `fields[key] = value`, so a `__proto__` key
 * in a hostile table becomes that object's prototype: a plain `entry.queue` could then read a forged value.
 */
export function own(table: unknown, key: string): unknown {
  return isTable(table) && Object.hasOwn(table, key) ? (table as Record<string, unknown>)[key] : undefined;
}

export function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/**
 * A decoded AMQP value as plain JSON: byte arrays as base64, non-finite numbers as text, own keys only (built with
 * Object.fromEntries, so even a key named `__proto__` is just data).
 */
export function toJsonSafe(value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null || Buffer.isBuffer(value)) return toJsonLeaf(value);
  if (depth >= MAX_DEPTH) return '[nested too deep]';
  if (Array.isArray(value)) return value.slice(0, MAX_ENTRIES).map((item) => toJsonSafe(item, depth + 1));
  return Object.fromEntries(
    Object.keys(value)
      .slice(0, MAX_ENTRIES)
      .map((key) => [cleanText(key, 255), toJsonSafe((value as Record<string, unknown>)[key], depth + 1)]),
  );
}

/** A decoded AMQP value that is not a table or an array, as JSON PostgreSQL accepts (bytes as base64). */
export function toJsonLeaf(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
      return cleanText(value);
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    default:
      return Buffer.isBuffer(value) ? { '!': 'bytes', base64: value.toString('base64') } : null;
  }
}
