import { describe, expect, it } from 'vitest';
import type { IndexInfo } from '../../server/adapters/sql/indexes.ts';
import {
  createIndexStatement,
  type IndexNeed,
  indexNeeds,
  nearMisses,
  serves,
} from '../../server/check/index-needs.ts';
import { loadFixture } from '../support/watched-system.ts';

// The indexes `recon check` asks for follow the statements the adapters build from the flow: the changed-time
// column is updatedAt, or createdAt where there is none; values inside JSON have no index to ask for; a CDC outbox
// needs none.

const summary = (fixture: string) => {
  const { needs, unindexable } = indexNeeds(loadFixture(fixture).flow);
  return {
    needs: needs.map((need) => [need.table, need.columns.map((c) => c.column), need.partialIsNull ?? null]),
    unindexable: unindexable.map((lookup) => [lookup.table, lookup.configKey, lookup.json]),
  };
};

const makeIndex = (overrides: Partial<IndexInfo>): IndexInfo => ({
  name: 'i',
  columns: [],
  method: 'btree',
  predicate: null,
  isValid: true,
  definition: '',
  ...overrides,
});

const makeNeed = (columns: string[], overrides: Partial<IndexNeed> = {}): IndexNeed => ({
  role: 'order',
  database: 'shop',
  table: 'purchase_order',
  columns: columns.map((column) => ({ column, configKey: `flows[0].order.${column}` })),
  usedBy: 'a statement',
  ...overrides,
});

describe('indexNeeds', () => {
  it("asks the reference system for the keys, the (updated_at, id) pages and the outbox's pending rows", () => {
    expect(summary('reference')).toEqual({
      needs: [
        ['orders', ['id'], null],
        ['orders', ['updated_at', 'id'], null],
        ['dispatches', ['order_id'], null],
        ['dispatches', ['updated_at', 'id'], null],
        ['outbox', ['created_at'], 'confirmed_at'],
        ['outbox', ['message_id'], null],
        ['outbox', ['aggregate_id'], null],
        ['processed_messages', ['message_id'], null],
      ],
      unindexable: [],
    });
  });

  it('pages a flow without updatedAt by createdAt, and names the ids CAP keeps inside JSON as unindexable', () => {
    expect(summary('cap')).toEqual({
      needs: [
        ['purchase_order', ['order_no'], null],
        ['purchase_order', ['last_modified_at', 'order_no'], null],
        ['delivery', ['order_ref'], null],
        ['delivery', ['created_at', 'id'], null],
        ['cap.published', ['Added'], null],
      ],
      unindexable: [
        ['cap.published', 'flows[0].outbox.messageId', 'Content'],
        ['cap.published', 'flows[0].outbox.orderId', 'Content'],
        ['cap.received', 'flows[0].inbox.messageId', 'Content'],
      ],
    });
  });

  it("asks nothing of Debezium's outbox table, whose rows are deleted as they are inserted", () => {
    expect(summary('debezium').needs.filter(([table]) => table === 'outboxevent')).toEqual([]);
  });
});

describe('serves', () => {
  const pages = makeNeed(['placed_at', 'order_no']);

  it('takes a btree whose leading columns are the need, in order, with more after them', () => {
    expect(serves(makeIndex({ columns: ['placed_at', 'order_no', 'state'] }), pages, null)).toBe(true);
  });

  it('refuses the columns in another order, a prefix, an expression, a hash, an invalid index', () => {
    const refused = [
      makeIndex({ name: 'swapped', columns: ['order_no', 'placed_at'] }),
      makeIndex({ name: 'prefix', columns: ['placed_at'] }),
      makeIndex({ name: 'expression', columns: [null, 'order_no'] }),
      makeIndex({ name: 'hash', columns: ['placed_at', 'order_no'], method: 'hash' }),
      makeIndex({ name: 'invalid', columns: ['placed_at', 'order_no'], isValid: false }),
    ];
    expect(refused.filter((index) => serves(index, pages, null))).toEqual([]);
    expect(nearMisses(refused, pages, null)).toEqual([
      'prefix has (placed_at), not (placed_at, order_no) first',
      'hash is a hash index: the statements need a btree',
      'invalid is invalid (a failed CREATE INDEX CONCURRENTLY): drop it and create it again',
    ]);
  });

  it("takes a partial index only on exactly the outbox's pending rows", () => {
    const pending = makeNeed(['created_at'], { partialIsNull: 'confirmed_at' });
    const onPending = makeIndex({ columns: ['created_at', 'id'], predicate: '(confirmed_at IS NULL)' });
    const onOthers = makeIndex({ columns: ['created_at'], predicate: "(status = 'x'::text)" });
    expect(serves(onPending, pending, '(confirmed_at IS NULL)')).toBe(true);
    expect(serves(onOthers, pending, '(confirmed_at IS NULL)')).toBe(false);
    expect(serves(onPending, makeNeed(['created_at']), null)).toBe(false);
  });
});

describe('createIndexStatement', () => {
  it('quotes the table (schema allowed) and each column as written, and keeps a pending index partial', () => {
    const need = makeNeed(['Added'], { table: 'cap.published' });
    expect(createIndexStatement(need)).toBe('CREATE INDEX CONCURRENTLY ON "cap"."published" ("Added");');
    const pending = makeNeed(['created_at'], { table: 'outbox', partialIsNull: 'confirmed_at' });
    expect(createIndexStatement(pending)).toBe(
      'CREATE INDEX CONCURRENTLY ON "outbox" ("created_at") WHERE "confirmed_at" IS NULL;',
    );
  });
});
