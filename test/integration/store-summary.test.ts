import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FINDING_KINDS, type FindingKind } from '../../reconcilers/registry.ts';
import { createPgStore } from '../../server/store/pg-store.ts';
import type { HistoryPoint, ReconStore } from '../../server/store/types.ts';
import { at, makeJudgement, writeJudgements } from '../support/judgement-builders.ts';
import { createReconDb, type ReconDb } from '../support/recon-db.ts';

const NOW = at(40);

/** The open counts of one kind, bucket by bucket. */
const series = (points: HistoryPoint[], kind: FindingKind) => points.filter((p) => p.kind === kind).map((p) => p.open);

describe('summarising findings in the PostgreSQL store', () => {
  let db: ReconDb;
  let store: ReconStore;

  beforeAll(async () => {
    db = await createReconDb('summary');
    store = createPgStore(db.pool, { now: () => NOW });
  });
  afterAll(async () => {
    await db?.destroy();
  });
  beforeEach(async () => {
    await db.pool.query('TRUNCATE findings');
  });

  it('counts the findings open at every bucket, for every kind, zeros included', async () => {
    await writeJudgements(store, [makeJudgement({ key: 'a' })], at(0));
    await writeJudgements(
      store,
      [makeJudgement({ key: 'b' }), makeJudgement({ kind: 'dead-letter', key: 'd' })],
      at(10),
    );
    await writeJudgements(store, [makeJudgement({ key: 'a', verdict: 'ok' })], at(25));
    const points = await store.history(at(-10), 10);

    const buckets = [-10, 0, 10, 20, 30, 40].map(at);
    expect(points).toHaveLength(buckets.length * FINDING_KINDS.length);
    expect(points.filter((p) => p.kind === 'stuck-outbox').map((p) => p.at)).toEqual(buckets);
    expect(series(points, 'order-without-dispatch')).toEqual([0, 1, 2, 2, 1, 1]);
    expect(series(points, 'dead-letter')).toEqual([0, 0, 1, 1, 1, 1]);
    expect(series(points, 'stuck-outbox')).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('no longer counts a finding at the bucket where it was resolved', async () => {
    await writeJudgements(store, [makeJudgement()], at(5));
    await writeJudgements(store, [makeJudgement({ verdict: 'ok' })], at(20));
    expect(series(await store.history(at(0), 5), 'order-without-dispatch')).toEqual([0, 1, 1, 1, 0, 0, 0, 0, 0]);
  });

  it('counts a finding opened before the window from the first bucket', async () => {
    await writeJudgements(store, [makeJudgement()], at(-3_600));
    await writeJudgements(store, [makeJudgement({ key: 'gone' })], at(-3_600));
    await writeJudgements(store, [makeJudgement({ key: 'gone', verdict: 'ok' })], at(-60));
    expect(series(await store.history(at(0), 20), 'order-without-dispatch')).toEqual([1, 1, 1]);
  });

  it('agrees with the definition of open at t for scattered findings and an odd bucket size', async () => {
    let seed = 42; // a fixed sequence, so a failure replays
    const random = () => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    for (let i = 0; i < 60; i++) {
      const key = `order-${i}`;
      const openedAt = Math.round(-100_000 + random() * 140_000) / 1000;
      await writeJudgements(store, [makeJudgement({ key })], at(openedAt));
      if (random() < 0.6)
        await writeJudgements(store, [makeJudgement({ key, verdict: 'ok' })], at(openedAt + random() * 50));
    }
    const { rows } = await db.pool.query<{ first_seen_at: Date; resolved_at: Date | null }>(
      'SELECT first_seen_at, resolved_at FROM findings',
    );
    const points = await store.history(at(-60), 7);
    const expected = points
      .filter((p) => p.kind === 'order-without-dispatch')
      .map(
        (p) => rows.filter((r) => r.first_seen_at <= p.at && (r.resolved_at === null || r.resolved_at > p.at)).length,
      );
    expect(series(points, 'order-without-dispatch')).toEqual(expected);
    expect(expected.some((n) => n > 0)).toBe(true);
  });

  it('widens its buckets so that a long range yields at most 500 points per kind', async () => {
    const points = await store.history(new Date(NOW.getTime() - 86_400_000), 1);
    const perKind = points.filter((p) => p.kind === 'order-without-dispatch');
    expect(perKind.length).toBeLessThanOrEqual(500);
    expect(perKind.length).toBeGreaterThan(400);
  });

  it('returns no points for a window that starts in the future', async () => {
    expect(await store.history(at(60), 10)).toEqual([]);
  });

  it('summarises open findings per kind with the oldest first seen, zeros included', async () => {
    await writeJudgements(store, [makeJudgement({ key: 'a' })], at(0));
    await writeJudgements(
      store,
      [makeJudgement({ key: 'b' }), makeJudgement({ kind: 'stuck-outbox', key: 'm' })],
      at(10),
    );
    await writeJudgements(store, [makeJudgement({ kind: 'dead-letter', key: 'd' })], at(12));
    await writeJudgements(store, [makeJudgement({ kind: 'dead-letter', key: 'd', verdict: 'ok' })], at(15));
    const summary = await store.openSummary();

    expect(summary.map((s) => s.kind)).toEqual([...FINDING_KINDS]);
    expect(summary.find((s) => s.kind === 'order-without-dispatch')).toEqual({
      kind: 'order-without-dispatch',
      open: 2,
      oldestFirstSeenAt: at(0),
    });
    expect(summary.find((s) => s.kind === 'stuck-outbox')).toMatchObject({ open: 1, oldestFirstSeenAt: at(10) });
    expect(summary.find((s) => s.kind === 'dead-letter')).toEqual({
      kind: 'dead-letter',
      open: 0,
      oldestFirstSeenAt: null,
    });
  });
});
