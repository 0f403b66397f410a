import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../reconcilers/registry.ts';
import { findingId } from '../../reconcilers/vocabulary.ts';
import { InvalidCursorError } from '../../server/store/finding-cursor.ts';
import { createPgStore } from '../../server/store/pg-store.ts';
import type { FindingQuery, ReconStore } from '../../server/store/types.ts';
import { at, makeJudgement, writeJudgements } from '../support/judgement-builders.ts';
import { createReconDb, type ReconDb } from '../support/recon-db.ts';

describe('listing findings from the PostgreSQL store', () => {
  let db: ReconDb;
  let store: ReconStore;

  beforeAll(async () => {
    db = await createReconDb('listing');
    store = createPgStore(db.pool);
  });
  afterAll(async () => {
    await db?.destroy();
  });
  beforeEach(async () => {
    await db.pool.query('TRUNCATE findings');
  });

  /** Follows nextCursor to the end and returns every page's items in order. */
  const listAll = async (query: Omit<FindingQuery, 'cursor'>): Promise<Finding[][]> => {
    const pages: Finding[][] = [];
    let cursor: string | undefined;
    do {
      const page = await store.listFindings({ ...query, cursor });
      pages.push(page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && pages.length < 1_000);
    return pages;
  };

  it('pages through every finding once, most recently seen first, across ties in lastSeenAt', async () => {
    // Five findings per second: every page boundary falls inside a tie, which only the id can break.
    for (let second = 0; second < 5; second++) {
      const keys = Array.from({ length: 5 }, (_, i) => `order-${second}-${i}`);
      await writeJudgements(
        store,
        keys.map((key) => makeJudgement({ key })),
        at(second),
      );
    }
    const pages = await listAll({ state: 'all', limit: 3 });
    const ids = pages.flat().map((f) => f.id);

    expect(pages).toHaveLength(9);
    expect(pages.slice(0, -1).every((p) => p.length === 3)).toBe(true);
    expect(new Set(ids).size).toBe(25);
    const expected = [4, 3, 2, 1, 0].flatMap((s) =>
      [0, 1, 2, 3, 4].map((i) => findingId('order-without-dispatch', `order-${s}-${i}`)),
    );
    expect(ids).toEqual(expected);
  });

  it('tells findings apart that were seen within the same millisecond', async () => {
    await writeJudgements(
      store,
      ['a', 'b', 'c', 'd'].map((key) => makeJudgement({ key })),
      at(0),
    );
    await db.pool.query(
      `UPDATE findings SET last_seen_at = last_seen_at + (ascii(key) - 96) * interval '1 microsecond' WHERE key <> 'a'`,
    );
    const ids = (await listAll({ state: 'all', limit: 1 })).flat().map((f) => f.key);
    expect(ids).toEqual(['d', 'c', 'b', 'a']);
  });

  it('filters by kind and by state', async () => {
    await writeJudgements(
      store,
      [makeJudgement({ key: 'o1' }), makeJudgement({ key: 'o2' }), makeJudgement({ kind: 'stuck-outbox', key: 'm1' })],
      at(0),
    );
    await writeJudgements(store, [makeJudgement({ key: 'o2', verdict: 'ok' })], at(10));
    const keys = async (query: Partial<FindingQuery>) =>
      (await store.listFindings({ state: 'all', limit: 50, ...query })).items.map((f) => f.key).sort();

    expect(await keys({ kind: 'order-without-dispatch' })).toEqual(['o1', 'o2']);
    expect(await keys({ state: 'open' })).toEqual(['m1', 'o1']);
    expect(await keys({ state: 'resolved' })).toEqual(['o2']);
    expect(await keys({ kind: 'stuck-outbox', state: 'resolved' })).toEqual([]);
  });

  it('finds a finding by its key, or by the order id or message id in its evidence', async () => {
    await writeJudgements(
      store,
      [
        makeJudgement({ key: 'order-7' }),
        makeJudgement({ kind: 'stuck-outbox', key: 'msg-7', evidence: { orderId: 'order-7', messageId: 'msg-7' } }),
        makeJudgement({ kind: 'dead-letter', key: 'dl-1', evidence: { messageId: 'msg-9', reason: 'rejected' } }),
      ],
      at(0),
    );
    const keys = async (q: string) =>
      (await store.listFindings({ state: 'all', q, limit: 50 })).items.map((f) => f.key).sort();

    expect(await keys('order-7')).toEqual(['msg-7', 'order-7']);
    expect(await keys('msg-9')).toEqual(['dl-1']);
    expect(await keys('  dl-1 ')).toEqual(['dl-1']);
  });

  it('matches q exactly, not as a substring', async () => {
    await writeJudgements(store, [makeJudgement({ key: 'order-123', evidence: { orderId: 'order-123' } })], at(0));
    expect((await store.listFindings({ state: 'all', q: 'order-12', limit: 50 })).items).toEqual([]);
  });

  it('caps a page at 500 findings', async () => {
    const keys = Array.from({ length: 600 }, (_, i) => `order-${i}`);
    await writeJudgements(
      store,
      keys.map((key) => makeJudgement({ key })),
      at(0),
    );
    const page = await store.listFindings({ state: 'all', limit: 10_000 });
    expect(page.items).toHaveLength(500);
    expect(page.nextCursor).not.toBeNull();
  });

  it('rejects a cursor it did not issue', async () => {
    for (const cursor of ['not a cursor', Buffer.from('["1e99","x"]').toString('base64url')]) {
      await expect(store.listFindings({ state: 'all', limit: 10, cursor })).rejects.toBeInstanceOf(InvalidCursorError);
    }
  });
});
