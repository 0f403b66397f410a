import { afterEach, describe, expect, it } from 'vitest';
import { type DemoHarness, placeOrders, startDemo } from '../support/demo-harness.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { sleep, waitFor } from '../support/wait-for.ts';

describe('producer-side faults', () => {
  let env: IsolatedEnv | undefined;
  let demo: DemoHarness | undefined;
  afterEach(async () => {
    await demo?.stop();
    await env?.destroy();
    demo = undefined;
    env = undefined;
  });

  it('publish-then-rollback with the replenisher down leaves a dispatch whose order does not exist', async () => {
    env = await createIsolatedEnv('rollback_down');
    demo = await startDemo(env, { faults: { 'replenisher-down': 1 }, replenishDelayMs: 300 });
    const placed = await demo.system.orders.placeOrderThenRollback();
    expect(placed).toBeDefined();
    const { orderId, messageId } = placed!;

    await waitFor('the dispatch of the rolled-back order', async () => {
      const { rowCount } = await demo!.system.dispatchPool.query('SELECT 1 FROM dispatches WHERE order_id = $1', [
        orderId,
      ]);
      return rowCount === 1;
    });
    await waitFor(
      'the replenisher to miss the message',
      async () => (await demo!.ledger('replenisher-down')).length === 1,
    );
    const order = await demo.system.ordersPool.query('SELECT 1 FROM orders WHERE id = $1', [orderId]);
    expect(order.rowCount).toBe(0);
    expect(await demo.ledger('publish-then-rollback')).toEqual([{ order_id: orderId, message_id: messageId }]);
    expect(await demo.ledger('replenisher-down')).toEqual([{ order_id: orderId, message_id: messageId }]);
  });

  it('publish-then-rollback with the replenisher running ends with the order made up and one dispatch', async () => {
    env = await createIsolatedEnv('rollback_up');
    demo = await startDemo(env, { replenishDelayMs: 300 });
    const { orderId } = (await demo.system.orders.placeOrderThenRollback())!;

    const made = await waitFor('the replenisher to make the order up', async () => {
      const { rows } = await demo!.system.ordersPool.query<{ status: string; total_cents: number }>(
        'SELECT status, total_cents FROM orders WHERE id = $1',
        [orderId],
      );
      return rows[0];
    });
    expect(made.status).toBe('replenished');
    const dispatches = await demo.system.dispatchPool.query('SELECT 1 FROM dispatches WHERE order_id = $1', [orderId]);
    expect(dispatches.rowCount).toBe(1);
    expect(await demo.ledger('replenisher-down')).toEqual([]);
  });

  it('relay-crash-before-confirm leaves an outbox row that is never confirmed', async () => {
    env = await createIsolatedEnv('relay_crash');
    demo = await startDemo(env, { faults: { 'relay-crash-before-confirm': 1 } });
    const [orderId] = await placeOrders(demo, 1);
    await waitFor(
      'the crash to be recorded',
      async () => (await demo!.ledger('relay-crash-before-confirm')).length === 1,
    );
    // Turn the fault off and prove the relay, now healthy and reconnected, still never settles the abandoned row.
    demo.faults['relay-crash-before-confirm'] = 0;
    const [healthyOrderId] = await placeOrders(demo, 1);
    await waitFor('a later order to be confirmed', async () => {
      const { rowCount } = await demo!.system.ordersPool.query(
        'SELECT 1 FROM outbox WHERE aggregate_id = $1 AND confirmed_at IS NOT NULL',
        [healthyOrderId],
      );
      return rowCount === 1;
    });
    await sleep(1_500);
    const { rows } = await demo.system.ordersPool.query<{
      confirmed_at: Date | null;
      published_at: Date | null;
      message_id: string;
    }>('SELECT confirmed_at, published_at, message_id FROM outbox WHERE aggregate_id = $1', [orderId]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.published_at).not.toBeNull();
    expect(rows[0]!.confirmed_at).toBeNull();
    expect(await demo.ledger('relay-crash-before-confirm')).toEqual([
      { order_id: orderId, message_id: rows[0]!.message_id },
    ]);
  });
});
