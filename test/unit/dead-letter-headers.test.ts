import { describe, expect, it } from 'vitest';
import { toStoredHeaders } from '../../server/adapters/stored-headers.ts';

/** A table as amqplib decodes one: `fields[key] = value`, so a `__proto__` key sets the object's prototype. */
function decoded(entries: Array<[string, unknown]>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of entries) fields[key] = value;
  return fields;
}

describe('the headers a dead letter keeps', () => {
  it('keeps a 4,000-entry table whole and counts its entries', () => {
    const table = decoded(Array.from({ length: 4_000 }, (_, i) => [`h-${i}`, `v${i}`]));
    const stored = toStoredHeaders(table);
    expect(Object.keys(stored.headers)).toHaveLength(4_000);
    expect(stored).toMatchObject({ entries: 4_000, omitted: 0 });
  });

  it('keeps a __proto__ key amqplib turned into a prototype as an own data entry, and pollutes nothing', () => {
    const table = decoded([
      ['a', 1],
      ['__proto__', decoded([['polluted', 'yes']])],
    ]);
    const stored = toStoredHeaders({ outer: table });
    const inner = stored.headers.outer as Record<string, unknown>;
    expect(Object.hasOwn(inner, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(inner, '__proto__')?.value).toEqual({ polluted: 'yes' });
    expect(Object.getPrototypeOf(inner)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(stored.headers))).toEqual(stored.headers);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(stored).toMatchObject({ entries: 4, omitted: 0 });
  });

  it('keeps a __proto__ key holding null (a void header value) as null', () => {
    const stored = toStoredHeaders(decoded([['__proto__', null]]));
    expect(Object.getOwnPropertyDescriptor(stored.headers, '__proto__')?.value).toBeNull();
  });

  it('stops at the byte bound and says how many entries it did not store', () => {
    const table = decoded(Array.from({ length: 4_000 }, (_, i) => [`h-${i}`, 'x'.repeat(100)]));
    const stored = toStoredHeaders(table, 50_000);
    expect(JSON.stringify(stored.headers).length).toBeLessThanOrEqual(50_000);
    expect(stored.entries).toBe(4_000);
    expect(stored.omitted).toBe(4_000 - Object.keys(stored.headers).length);
    expect(stored.omitted).toBeGreaterThan(3_000);
  });

  it('counts the entries of a table nested too deep as not stored', () => {
    let deep: unknown = { leaf: 1 };
    for (let i = 0; i < 20; i++) deep = { next: deep };
    const stored = toStoredHeaders({ deep });
    expect(stored.entries).toBe(22);
    expect(stored.omitted).toBeGreaterThan(0);
    expect(JSON.stringify(stored.headers)).toContain('[nested too deep]');
  });
});
