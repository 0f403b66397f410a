import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FINDING_KINDS } from '../../reconcilers/registry.ts';
import { findingId } from '../../reconcilers/vocabulary.ts';
import { createPgStore } from '../../server/store/pg-store.ts';
import type { ReconStore } from '../../server/store/types.ts';
import { at, makeJudgement, writeJudgements } from '../support/judgement-builders.ts';
import { createReconDb, type ReconDb } from '../support/recon-db.ts';

/** The actions column of DESIGN.md's kinds table. */
const DESIGN_ACTIONS: Record<string, string[]> = {
  'order-without-dispatch': ['redeliver'],
  'dispatch-without-order': ['make-up-order', 'cancel-dispatch'],
  'stuck-outbox': ['republish'],
  'duplicate-dispatch': ['cancel-dispatch'],
  'unconfirmed-publishes': [],
  'unacked-stuck': [],
  'dead-letter': ['redrive', 'discard'],
  // Beyond DESIGN's list: a reference no order can have, and a CDC outbox's slot lag, are fixed at their source.
  'malformed-order-reference': [],
  'outbox-slot-lag': [],
};

describe('looking findings up in the PostgreSQL store', () => {
  let db: ReconDb;
  let store: ReconStore;

  beforeAll(async () => {
    db = await createReconDb('lookups');
    store = createPgStore(db.pool);
  });
  afterAll(async () => {
    await db?.destroy();
  });
  beforeEach(async () => {
    await db.pool.query('TRUNCATE findings');
  });

  it('returns every kind as a camelCase finding with the actions of its kind', async () => {
    await writeJudgements(
      store,
      FINDING_KINDS.map((kind) => makeJudgement({ kind })),
      at(0),
    );
    for (const kind of FINDING_KINDS) {
      const finding = await store.getFinding(findingId(kind, 'order-1'));
      expect(Object.keys(finding ?? {}).sort()).toEqual([
        'actions',
        'evidence',
        'firstSeenAt',
        'id',
        'key',
        'kind',
        'lastSeenAt',
        'resolvedAt',
        'severity',
        'state',
        'subjects',
        'verdict',
      ]);
      expect(finding?.firstSeenAt).toBeInstanceOf(Date);
      expect(finding?.actions).toEqual(DESIGN_ACTIONS[kind]);
    }
  });

  it('has no finding for an id it never stored', async () => {
    expect(await store.getFinding(findingId('stuck-outbox', 'nope'))).toBeUndefined();
  });

  it('keeps evidence with quotes, backslashes, braces and unicode intact', async () => {
    const evidence = {
      reason: 'body: {"a": "b\\"c"}, \\n ok',
      queue: 'q,{x}',
      note: 'ünïcødé 🚚',
      nested: { n: [1, null] },
    };
    await writeJudgements(store, [makeJudgement({ evidence })], at(0));
    expect((await store.getFinding(findingId('order-without-dispatch', 'order-1')))?.evidence).toEqual(evidence);
  });

  it('lists the open and resolved findings that name an order in their key or evidence', async () => {
    await writeJudgements(
      store,
      [
        makeJudgement({ key: 'order-1' }),
        makeJudgement({ kind: 'duplicate-dispatch', key: 'order-1' }),
        makeJudgement({ kind: 'stuck-outbox', key: 'msg-1', evidence: { orderId: 'order-1' } }),
        makeJudgement({ key: 'order-2' }),
      ],
      at(0),
    );
    await writeJudgements(store, [makeJudgement({ kind: 'duplicate-dispatch', key: 'order-1', verdict: 'ok' })], at(5));
    const found = await store.findingsForOrder('order-1');
    expect(found.map((f) => `${f.id}/${f.state}`).sort()).toEqual([
      'duplicate-dispatch:order-1/resolved',
      'order-without-dispatch:order-1/open',
      'stuck-outbox:msg-1/open',
    ]);
  });

  it('pages the open keys of one kind in key order, skipping resolved findings and other kinds', async () => {
    await writeJudgements(
      store,
      ['k5', 'k1', 'k4', 'k2', 'k3']
        .map((key) => makeJudgement({ key }))
        .concat(makeJudgement({ kind: 'stuck-outbox', key: 'k0' })),
      at(0),
    );
    await writeJudgements(store, [makeJudgement({ key: 'k3', verdict: 'ok' })], at(5));
    const keys = async (after: string | null) =>
      (await store.openFindings('order-without-dispatch', after, 2)).map((finding) => finding.key);
    expect(await keys(null)).toEqual(['k1', 'k2']);
    expect(await keys('k2')).toEqual(['k4', 'k5']);
    expect(await keys('k5')).toEqual([]);
  });

  it('reads open findings with the severity, evidence and lastSeenAt a cycle compares its verdicts against', async () => {
    const evidence = { orderId: 'k1', orderCreatedAt: '2030-01-01T00:00:00.000Z', cancelledDispatches: 0, nested: [1] };
    await writeJudgements(store, [makeJudgement({ key: 'k1', severity: 'critical', evidence })], at(0));
    await writeJudgements(store, [makeJudgement({ key: 'k2' }), makeJudgement({ key: 'k3' })], at(1));
    await writeJudgements(store, [makeJudgement({ key: 'k2', verdict: 'ok' })], at(2));

    expect(await store.openFindings('order-without-dispatch', null, 10)).toEqual([
      { key: 'k1', severity: 'critical', evidence, lastSeenAt: at(0) },
      { key: 'k3', severity: 'warning', evidence: {}, lastSeenAt: at(1) },
    ]);
    expect(await store.openFindings('order-without-dispatch', 'k1', 10)).toHaveLength(1);
  });
});
