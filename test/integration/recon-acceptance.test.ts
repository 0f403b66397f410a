import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTraffic } from '../../demo/traffic.ts';
import type { Recon } from '../../server/recon.ts';
import { type DemoHarness, startDemo, testLog } from '../support/demo-harness.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { openKeys, startTestRecon } from '../support/recon-harness.ts';
import { sleep, waitFor } from '../support/wait-for.ts';

const GRACE_MS = 3_000;

describe('detection against the ground-truth ledger', () => {
  let env: IsolatedEnv;
  let demo: DemoHarness;
  let recon: Recon;

  beforeAll(async () => {
    env = await createIsolatedEnv('acceptance');
    demo = await startDemo(env, {
      replenishDelayMs: 500,
      faults: {
        'publish-then-rollback': 0.06,
        'replenisher-down': 0.5,
        'relay-crash-before-confirm': 0.04,
        'consumer-crash-before-ack': 0.04,
        'non-idempotent': 0.04,
        'lost-dispatch': 0.05,
      },
    });
    recon = await startTestRecon(env, { RECON_GRACE_SECONDS: String(GRACE_MS / 1000) });
  });
  afterAll(async () => {
    await recon?.stop();
    await demo?.stop();
    await env?.destroy();
  });

  it('opens exactly the findings the injected faults caused: precision and recall 100% per kind', async () => {
    const { system, faults } = demo;
    await runTraffic({
      ratePerSecond: 40,
      count: 400,
      faults,
      orders: system.orders,
      lostDispatch: system.lostDispatch,
      log: testLog(),
    });
    await waitFor('every lost-dispatch fault to happen', async () => system.lostDispatch.pendingCount() === 0, {
      timeoutMs: 60_000,
    });
    await waitFor('the relay to confirm every row but the crashed ones', async () => {
      const { rows } = await system.ordersPool.query<{ n: string }>(
        `SELECT count(*) AS n FROM outbox WHERE confirmed_at IS NULL`,
      );
      return Number(rows[0]!.n) === (await demo.ledger('relay-crash-before-confirm')).length;
    });
    // After the last fault: let the grace period pass, then two cycles must agree with the ledger exactly. A cycle
    // here is the incremental pass plus the full sweep (as with a short RECON_SWEEP_INTERVAL_SECONDS): when the
    // consumer lags past the grace period, an order is judged (and resolved) before its dispatch is deleted, and
    // only the sweep can see a deletion.
    // A non-idempotent order's second dispatch comes with the redelivery after the simulated crash, which a loaded
    // machine can delay past the other faults: the last fault is that second dispatch.
    await waitFor(
      'every non-idempotent order to be dispatched twice',
      async () => {
        const orderIds = [...new Set((await demo.ledger('non-idempotent')).map((row) => row.order_id))];
        const { rowCount } = await system.dispatchPool.query(
          'SELECT order_id FROM dispatches WHERE order_id = ANY($1) GROUP BY order_id HAVING count(*) >= 2',
          [orderIds],
        );
        return rowCount === orderIds.length;
      },
      { timeoutMs: 90_000 },
    );
    await sleep(GRACE_MS + 1_500);
    for (let cycle = 0; cycle < 2; cycle++) {
      await recon.scheduler.runCycle();
      await recon.scheduler.runSweep();
    }

    const ids = async (kind: Parameters<DemoHarness['ledger']>[0], column: 'order_id' | 'message_id' = 'order_id') =>
      (await demo.ledger(kind)).map((row) => row[column]!);
    const expected = {
      'order-without-dispatch': await ids('lost-dispatch'),
      // replenisher-down is recorded only when the rolled-back order was really missing: exactly the orphans.
      'dispatch-without-order': await ids('replenisher-down'),
      'stuck-outbox': await ids('relay-crash-before-confirm', 'message_id'),
      // The generator never loses the dispatch of a non-idempotent order, so the two sets are disjoint.
      'duplicate-dispatch': await ids('non-idempotent'),
    } as const;
    for (const [kind, keys] of Object.entries(expected)) {
      expect(keys.length, `the traffic injected no ${kind}`).toBeGreaterThan(0);
      expect(await openKeys(recon, kind as keyof typeof expected), kind).toEqual([...new Set(keys)].sort());
    }
    // The traffic, the waits for the last faults (the second dispatch on a loaded machine) and two cycles.
  }, 180_000);
});
