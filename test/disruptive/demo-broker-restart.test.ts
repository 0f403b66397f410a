import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTraffic } from '../../demo/traffic.ts';
import { startBrokerApp, stopBrokerApp } from '../support/broker-control.ts';
import { type DemoHarness, startDemo, testLog } from '../support/demo-harness.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { sleep, waitFor } from '../support/wait-for.ts';

describe('broker restart during traffic', () => {
  let env: IsolatedEnv;
  let demo: DemoHarness;

  beforeAll(async () => {
    env = await createIsolatedEnv('broker_restart');
    demo = await startDemo(env);
  });
  afterAll(async () => {
    // Whatever happened, the next test run (and CI on this machine) needs the broker up.
    await startBrokerApp();
    await demo?.stop();
    await env?.destroy();
  });

  it('recovers: every committed order ends with a confirmed outbox row and exactly one dispatch', async () => {
    const { system, faults } = demo;
    const traffic = runTraffic({
      ratePerSecond: 25,
      durationMs: 12_000,
      faults,
      orders: system.orders,
      lostDispatch: system.lostDispatch,
      log: testLog(),
    });
    await sleep(3_000);
    let stoppedAt = new Date();
    let restartingAt = new Date();
    try {
      await stopBrokerApp();
      stoppedAt = new Date();
      await sleep(3_000);
    } finally {
      restartingAt = new Date();
      await startBrokerApp();
    }
    const summary = await traffic;
    expect(summary.errors).toBe(0);
    expect(summary.committed).toBeGreaterThan(200);

    await waitFor(
      'every outbox row confirmed',
      async () => {
        const { rows } = await system.ordersPool.query<{ pending: string }>(
          'SELECT count(*) AS pending FROM outbox WHERE confirmed_at IS NULL',
        );
        return rows[0]!.pending === '0';
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    await waitFor(
      'a dispatch for every committed order',
      async () => {
        const { rows } = await system.dispatchPool.query<{ n: string }>(
          'SELECT count(DISTINCT order_id) AS n FROM dispatches',
        );
        return Number(rows[0]!.n) === summary.committed;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    const orders = await system.ordersPool.query<{ id: string }>('SELECT id FROM orders');
    expect(orders.rowCount).toBe(summary.committed);
    const perOrder = await system.dispatchPool.query<{ order_id: string; n: string }>(
      'SELECT order_id, count(*) AS n FROM dispatches GROUP BY order_id',
    );
    expect(perOrder.rows.filter((r) => r.n !== '1')).toEqual([]);
    expect(new Set(perOrder.rows.map((r) => r.order_id))).toEqual(new Set(orders.rows.map((r) => r.id)));
    // Orders kept committing while the broker was away, and their rows went out only after it came back:
    // otherwise this test did not test recovery.
    const duringOutage = await system.ordersPool.query<{ confirmed_at: Date }>(
      'SELECT confirmed_at FROM outbox WHERE created_at > $1 AND created_at < $2',
      [stoppedAt, restartingAt],
    );
    expect(duringOutage.rowCount).toBeGreaterThan(10);
    expect(duringOutage.rows.filter((r) => r.confirmed_at <= restartingAt)).toEqual([]);
  });
});
