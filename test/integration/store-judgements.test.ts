import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { LAST_SEEN_REFRESH_MS } from '../../reconcilers/engine/store-changes.ts';
import { findingId, type Judgement } from '../../reconcilers/vocabulary.ts';
import { createPgStore } from '../../server/store/pg-store.ts';
import type { ReconStore } from '../../server/store/types.ts';
import { at, makeJudgement as makeBaseJudgement, writeJudgements } from '../support/judgement-builders.ts';
import { createReconDb, type ReconDb } from '../support/recon-db.ts';

const ID = findingId('order-without-dispatch', 'order-1');
const LAST_SEEN_REFRESH_SECONDS = LAST_SEEN_REFRESH_MS / 1000;

const makeJudgement = (overrides: Partial<Judgement> = {}): Judgement =>
  makeBaseJudgement({ evidence: { orderId: 'order-1', ageSeconds: 90 }, ...overrides });

describe('applying judgements to the PostgreSQL store', () => {
  let db: ReconDb;
  let store: ReconStore;

  beforeAll(async () => {
    db = await createReconDb('judgements');
    store = createPgStore(db.pool);
  });
  afterAll(async () => {
    await db?.destroy();
  });
  beforeEach(async () => {
    await db.pool.query('TRUNCATE findings');
  });

  /** The row's transaction id and physical place change with every rewrite of it. */
  const rowVersion = async (id: string) =>
    (await db.pool.query('SELECT xmin::text AS xmin, ctid::text AS ctid FROM findings WHERE id = $1', [id])).rows[0];
  const occurrences = async (id: string) =>
    (await db.pool.query<{ occurrences: number }>('SELECT occurrences FROM findings WHERE id = $1', [id])).rows[0]
      ?.occurrences;

  it('opens a mismatch once and counts a repeat as a refresh of lastSeenAt, evidence and severity', async () => {
    expect(await writeJudgements(store, [makeJudgement()], at(0))).toEqual({ opened: 1, resolved: 0 });
    const refresh = makeJudgement({ severity: 'critical', evidence: { orderId: 'order-1', ageSeconds: 600 } });
    expect(await writeJudgements(store, [refresh], at(10))).toEqual({ opened: 0, resolved: 0 });

    expect(await store.getFinding(ID)).toEqual({
      id: ID,
      kind: 'order-without-dispatch',
      key: 'order-1',
      severity: 'critical',
      verdict: 'mismatch',
      state: 'open',
      firstSeenAt: at(0),
      lastSeenAt: at(10),
      resolvedAt: null,
      evidence: { orderId: 'order-1', ageSeconds: 600 },
      subjects: { orderId: 'order-1', messageId: null },
      actions: ['redeliver'],
    });
    expect(await occurrences(ID)).toBe(1);
  });

  it("leaves an unchanged open finding's row alone within the refresh interval", async () => {
    await writeJudgements(store, [makeJudgement()], at(0));
    const before = await rowVersion(ID);
    expect(await writeJudgements(store, [makeJudgement()], at(LAST_SEEN_REFRESH_SECONDS - 1))).toEqual({
      opened: 0,
      resolved: 0,
    });

    expect(await rowVersion(ID)).toEqual(before);
    expect(await store.getFinding(ID)).toMatchObject({ state: 'open', firstSeenAt: at(0), lastSeenAt: at(0) });
  });

  it('refreshes lastSeenAt of an unchanged open finding once the refresh interval has passed', async () => {
    await writeJudgements(store, [makeJudgement()], at(0));
    const later = at(LAST_SEEN_REFRESH_SECONDS + 1);
    expect(await writeJudgements(store, [makeJudgement()], later)).toEqual({ opened: 0, resolved: 0 });

    expect(await store.getFinding(ID)).toMatchObject({ state: 'open', firstSeenAt: at(0), lastSeenAt: later });
    expect(await occurrences(ID)).toBe(1);
  });

  it('writes changed evidence or severity at once, within the refresh interval', async () => {
    await writeJudgements(store, [makeJudgement()], at(0));
    const before = await rowVersion(ID);
    await writeJudgements(store, [makeJudgement({ evidence: { orderId: 'order-1', ageSeconds: 95 } })], at(5));
    expect(await rowVersion(ID)).not.toEqual(before);
    expect(await store.getFinding(ID)).toMatchObject({ lastSeenAt: at(5), evidence: { ageSeconds: 95 } });

    await writeJudgements(
      store,
      [makeJudgement({ severity: 'critical', evidence: { orderId: 'order-1', ageSeconds: 95 } })],
      at(6),
    );
    expect(await store.getFinding(ID)).toMatchObject({ severity: 'critical', lastSeenAt: at(6), firstSeenAt: at(0) });
  });

  it('resolves an open finding once when its verdict turns ok', async () => {
    await writeJudgements(store, [makeJudgement()], at(0));
    expect(await writeJudgements(store, [makeJudgement({ verdict: 'ok' })], at(10))).toEqual({
      opened: 0,
      resolved: 1,
    });
    expect(await writeJudgements(store, [makeJudgement({ verdict: 'ok' })], at(20))).toEqual({
      opened: 0,
      resolved: 0,
    });

    expect(await store.getFinding(ID)).toMatchObject({ state: 'resolved', verdict: 'ok', resolvedAt: at(10) });
  });

  it('creates nothing for an ok about a finding that was never opened', async () => {
    expect(await writeJudgements(store, [makeJudgement({ verdict: 'ok' })], at(0))).toEqual({ opened: 0, resolved: 0 });
    expect(await store.getFinding(ID)).toBeUndefined();
  });

  it('reopens a resolved finding as a new episode, counted as opened', async () => {
    await writeJudgements(store, [makeJudgement()], at(0));
    await writeJudgements(store, [makeJudgement({ verdict: 'ok' })], at(10));
    expect(await writeJudgements(store, [makeJudgement()], at(20))).toEqual({ opened: 1, resolved: 0 });

    expect(await store.getFinding(ID)).toMatchObject({ state: 'open', firstSeenAt: at(20), resolvedAt: null });
    expect(await occurrences(ID)).toBe(2);
  });

  it('neither opens nor resolves on an unknown verdict', async () => {
    await writeJudgements(store, [makeJudgement()], at(0));
    const unknowns = [makeJudgement({ verdict: 'unknown' }), makeJudgement({ key: 'order-2', verdict: 'unknown' })];
    expect(await writeJudgements(store, unknowns, at(10))).toEqual({ opened: 0, resolved: 0 });

    expect(await store.getFinding(ID)).toMatchObject({ state: 'open', lastSeenAt: at(0) });
    expect(await store.getFinding(findingId('order-without-dispatch', 'order-2'))).toBeUndefined();
  });

  it('counts openings and resolutions exactly in a mixed batch', async () => {
    await writeJudgements(store, [makeJudgement({ key: 'a' }), makeJudgement({ key: 'b' })], at(0));
    await writeJudgements(store, [makeJudgement({ key: 'b', verdict: 'ok' })], at(5));
    const batch = [
      makeJudgement({ key: 'a' }), // refresh
      makeJudgement({ key: 'b' }), // reopen
      makeJudgement({ key: 'c' }), // new
      makeJudgement({ key: 'a', kind: 'duplicate-dispatch' }), // same key, other kind: its own finding
      makeJudgement({ key: 'd', verdict: 'ok' }), // never opened
    ];
    expect(await writeJudgements(store, batch, at(10))).toEqual({ opened: 3, resolved: 0 });
  });

  it('counts openings and resolutions exactly when unchanged open findings are left alone', async () => {
    const open = ['a', 'b', 'c', 'd'].map((key) => makeJudgement({ key }));
    await writeJudgements(store, open, at(0));
    await writeJudgements(store, [makeJudgement({ key: 'b', verdict: 'ok' })], at(5));
    const batch = [
      makeJudgement({ key: 'a' }), // unchanged: left alone
      makeJudgement({ key: 'b' }), // reopen
      makeJudgement({ key: 'c', evidence: { orderId: 'c', ageSeconds: 1 } }), // changed: rewritten, not opened
      makeJudgement({ key: 'd', verdict: 'ok' }), // resolve
      makeJudgement({ key: 'e' }), // new
    ];
    expect(await writeJudgements(store, batch, at(10))).toEqual({ opened: 2, resolved: 1 });
    const refreshed = [makeJudgement({ key: 'a' }), makeJudgement({ key: 'f' })];
    expect(await writeJudgements(store, refreshed, at(LAST_SEEN_REFRESH_SECONDS + 1))).toEqual({
      opened: 1,
      resolved: 0,
    });
  });

  it('lets the last judgement of a finding win when one call repeats it', async () => {
    await writeJudgements(store, [makeJudgement()], at(0));
    const result = await writeJudgements(store, [makeJudgement(), makeJudgement({ verdict: 'ok' })], at(10));
    expect(result).toEqual({ opened: 0, resolved: 1 });
  });

  it('applies 5,000 judgements in a single write statement', async () => {
    const keys = Array.from({ length: 5_000 }, (_, i) => `order-${String(i).padStart(5, '0')}`);
    const query = vi.spyOn(db.pool, 'query');
    // The writer first asks which of them are open (one query); the store then writes them all at once.
    const writes = () => query.mock.calls.filter(([text]) => String(text).includes('INSERT INTO findings')).length;
    try {
      const opened = await writeJudgements(
        store,
        keys.map((key) => makeJudgement({ key, evidence: { orderId: key } })),
        at(0),
      );
      expect(opened).toEqual({ opened: 5_000, resolved: 0 });
      expect(writes()).toBe(1);
      const resolved = await writeJudgements(
        store,
        keys.map((key) => makeJudgement({ key, verdict: 'ok' })),
        at(10),
      );
      expect(resolved).toEqual({ opened: 0, resolved: 5_000 });
      expect(writes()).toBe(2);
      expect(query).toHaveBeenCalledTimes(4);
    } finally {
      query.mockRestore();
    }
  });
});
