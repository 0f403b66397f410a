import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActionStore } from '../../server/store/action-store.ts';
import type { ActionIntent } from '../../server/store/action-types.ts';
import { createReconDb, type ReconDb } from '../support/recon-db.ts';

// The race that let two of 50 parallel presses both run (seen once under load): a claim whose snapshot still saw the
// first action pending, while the first action's settle to `done` committed before the claim's insert. Here the
// settle is held open on purpose, in the store's own protocol (the target's lock, then the update), and the second
// claim must wait for it and then see the `done` action, not slip in between.

const SETTLE_TO_DONE = `UPDATE actions SET status = 'done', settled_at = now(), updated_at = now()
  WHERE id = $1 AND status IN ('pending', 'in-doubt')`;
const LOCK_TARGET = "SELECT pg_advisory_xact_lock(hashtextextended('recon.action-target:' || $1, 0))";

let db: ReconDb;

beforeAll(async () => {
  db = await createReconDb('claim_race');
});
afterAll(async () => {
  await db?.destroy();
});

const intentOn = (target: string, actor: string): ActionIntent => ({
  id: randomUUID(),
  action: 'redeliver',
  findingId: `order-without-dispatch:${target}`,
  target,
  actor,
  role: 'operator',
  reason: 'race test',
  idempotencyKey: randomUUID(),
  requestHash: 'h',
  messageId: randomUUID(),
  leaseMs: 30_000,
  holdMs: 60_000,
  settledHoldMs: 30_000,
  findingOpenedAt: new Date(Date.now() - 60_000),
});

describe('claiming an action while another on the same target settles', () => {
  it('waits for the settle and then refuses: the done action blocks the target', async () => {
    const store = createActionStore(db.pool);
    const target = `order:${randomUUID()}`;
    const first = await store.claim(intentOn(target, 'alice'));
    expect(first.kind).toBe('claimed');
    const firstId = first.kind === 'claimed' ? first.action.id : '';

    const settling = await db.pool.connect();
    try {
      await settling.query('BEGIN');
      await settling.query(LOCK_TARGET, [target]);
      await settling.query(SETTLE_TO_DONE, [firstId]);
      const second = store.claim(intentOn(target, 'bob'));
      await new Promise((resolve) => setTimeout(resolve, 300)); // the claim is now waiting on the target
      await settling.query('COMMIT');
      const result = await second;
      expect(result.kind).toBe('conflict');
      expect(result.kind === 'conflict' && result.action.id).toBe(firstId);
    } finally {
      settling.release();
    }
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM actions WHERE target = $1', [target]);
    expect(rows[0].n).toBe(1);
  });
});
