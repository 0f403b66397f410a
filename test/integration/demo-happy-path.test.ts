import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISPATCH_DEAD_LETTER_QUEUE, DISPATCH_QUEUE } from '../../demo/names.ts';
import { runTraffic } from '../../demo/traffic.ts';
import { type DemoHarness, queueDepth, startDemo, testLog } from '../support/demo-harness.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { waitFor } from '../support/wait-for.ts';

const ORDERS = 60;

describe('reference system without faults', () => {
  let env: IsolatedEnv;
  let demo: DemoHarness;

  beforeAll(async () => {
    env = await createIsolatedEnv('happy');
    demo = await startDemo(env);
  });
  afterAll(async () => {
    await demo?.stop();
    await env?.destroy();
  });

  it('turns N orders into N confirmed outbox rows, exactly N dispatches and no dead letters', async () => {
    const { system, faults } = demo;
    const summary = await runTraffic({
      ratePerSecond: 100,
      count: ORDERS,
      faults,
      orders: system.orders,
      lostDispatch: system.lostDispatch,
      log: testLog(),
    });
    expect(summary.committed).toBe(ORDERS);

    await waitFor('every outbox row confirmed', async () => {
      const { rows } = await system.ordersPool.query<{ confirmed: string }>(
        'SELECT count(*) AS confirmed FROM outbox WHERE confirmed_at IS NOT NULL',
      );
      return Number(rows[0]!.confirmed) === ORDERS;
    });
    await waitFor('a dispatch for every order', async () => {
      const { rows } = await system.dispatchPool.query<{ n: string }>(
        'SELECT count(DISTINCT order_id) AS n FROM dispatches',
      );
      return Number(rows[0]!.n) === ORDERS;
    });

    const orders = await system.ordersPool.query<{ id: string }>('SELECT id FROM orders');
    const dispatches = await system.dispatchPool.query<{ order_id: string; n: string }>(
      'SELECT order_id, count(*) AS n FROM dispatches GROUP BY order_id',
    );
    expect(orders.rowCount).toBe(ORDERS);
    expect(dispatches.rows.every((r) => r.n === '1')).toBe(true);
    expect(new Set(dispatches.rows.map((r) => r.order_id))).toEqual(new Set(orders.rows.map((r) => r.id)));
    const outbox = await system.ordersPool.query(
      'SELECT 1 FROM outbox WHERE confirmed_at IS NULL OR published_at IS NULL',
    );
    expect(outbox.rowCount).toBe(0);
    await waitFor('the dispatch queue drained', async () => (await queueDepth(env, DISPATCH_QUEUE)) === 0);
    expect(await queueDepth(env, DISPATCH_DEAD_LETTER_QUEUE)).toBe(0);
    expect(system.dispatchStats.rejected).toBe(0);
    const faultRows = await system.ordersPool.query('SELECT 1 FROM demo_faults');
    expect(faultRows.rowCount).toBe(0);
  });
});
