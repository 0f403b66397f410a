import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recon } from '../../server/recon.ts';
import { getJson } from '../support/actions.ts';
import { startBrokerApp, stopBrokerApp } from '../support/broker-control.ts';
import { type DemoHarness, placeOrders, startDemo } from '../support/demo-harness.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { startTestRecon } from '../support/recon-harness.ts';
import { rejectQueued } from '../support/reject-queued.ts';
import { addUser, postJson } from '../support/users.ts';
import { sleep, waitFor } from '../support/wait-for.ts';

const LETTERS = 300;

// Reliability matrix R1: the broker restarts during a bulk redrive of hundreds of dead letters. Every item ends
// done or in a stated failure, the sweeper settles whatever was in doubt, no letter is lost, no order dispatched twice.
describe('bulk redrive while the broker restarts', () => {
  let env: IsolatedEnv;
  let producer: DemoHarness;
  let consumer: DemoHarness | undefined;
  let recon: Recon;
  let admin: string;
  let orderIds: string[];

  beforeAll(async () => {
    env = await createIsolatedEnv('bulk_redrive_restart');
    producer = await startDemo(env, { services: { dispatch: false } });
    recon = await startTestRecon(env, {
      RECON_ACTION_CONFIRM_TIMEOUT_SECONDS: '3',
      RECON_ACTION_LEASE_SECONDS: '6',
      RECON_ACTION_RETRY_SECONDS: '2',
      RECON_SWEEPER_INTERVAL_SECONDS: '1',
      RECON_ACTION_MAX_ATTEMPTS: '30',
    });
    admin = await addUser(env, 'ada', 'admin');
    orderIds = await placeOrders(producer, LETTERS);
    await rejectQueued(env, LETTERS);
    await waitFor(
      'every dead letter in custody',
      async () => {
        const page = await getJson(recon, '/api/findings?kind=dead-letter&state=open&limit=500');
        return page.items.length === LETTERS;
      },
      { timeoutMs: 60_000 },
    );
    consumer = await startDemo(env, { services: { relay: false, replenisher: false } });
  }, 120_000);
  afterAll(async () => {
    await startBrokerApp();
    await recon?.stop();
    await consumer?.stop();
    await producer?.stop();
    await env?.destroy();
  });

  it('ends every item done or failed with a reason; loses no letter and dispatches no order twice', async () => {
    const request = { action: 'redrive', reason: 'replay after the dispatch outage', filter: { kind: 'dead-letter' } };
    const dryRun = await recon.app.request('/api/bulk-actions', postJson(admin, { ...request, dryRun: true }));
    expect((await dryRun.json()) as object).toMatchObject({ total: LETTERS, willAct: LETTERS });

    const started = await recon.app.request(
      '/api/bulk-actions',
      postJson(admin, { ...request, ratePerSecond: 60 }, { 'idempotency-key': randomUUID() }),
    );
    expect(started.status).toBe(202);
    const { href } = (await started.json()) as { href: string };
    await waitFor('some items done', async () => ((await getJson(recon, href, admin)).counts.done ?? 0) >= 50);
    await stopBrokerApp();
    await sleep(3_000);
    await startBrokerApp();

    const bulk = await waitFor(
      'the bulk to finish and settle',
      async () => {
        const b = await getJson(recon, `${href}?limit=1000`, admin);
        return !['running', 'settling'].includes(b.status) && b;
      },
      { timeoutMs: 180_000, intervalMs: 1_000 },
    );
    const outcomes = bulk.items.map((i: { outcome: string }) => i.outcome);
    expect(outcomes).toHaveLength(LETTERS);
    for (const item of bulk.items) {
      expect(['done', 'superseded', 'failed']).toContain(item.outcome);
      if (item.outcome === 'failed') expect(item.detail).toMatch(/\w/);
    }
    expect(bulk.counts.done).toBeGreaterThanOrEqual(50);

    // Nothing lost: a letter not redriven is still in custody; nothing twice: at most one dispatch per order.
    await sleep(3_000);
    const letters = await getJson(recon, '/api/dead-letters?limit=500', admin);
    const redriven = letters.items.filter((l: { state: string }) => l.state === 'redriven').length;
    const stored = letters.items.filter((l: { state: string }) => l.state === 'stored').length;
    expect(redriven + stored).toBe(LETTERS);
    expect(redriven).toBe(bulk.counts.done);
    const { rows } = await producer.system.dispatchPool.query<{ order_id: string; n: string }>(
      'SELECT order_id, count(*) AS n FROM dispatches WHERE order_id = ANY($1) GROUP BY order_id',
      [orderIds],
    );
    expect(rows.filter((r) => Number(r.n) > 1)).toEqual([]);
    await waitFor('a dispatch for every redriven letter', async () => {
      const { rowCount } = await producer.system.dispatchPool.query(
        'SELECT DISTINCT order_id FROM dispatches WHERE order_id = ANY($1)',
        [orderIds],
      );
      return rowCount === redriven;
    });
  });
});
