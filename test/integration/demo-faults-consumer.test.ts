import { afterEach, describe, expect, it } from 'vitest';
import { DISPATCH_DEAD_LETTER_QUEUE, DISPATCH_QUEUE } from '../../demo/names.ts';
import { type DemoHarness, drainQueue, placeOrders, queueDepth, startDemo } from '../support/demo-harness.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { waitFor } from '../support/wait-for.ts';

describe('consumer-side and data faults', () => {
  let env: IsolatedEnv | undefined;
  let demo: DemoHarness | undefined;
  afterEach(async () => {
    await demo?.stop();
    await env?.destroy();
    demo = undefined;
    env = undefined;
  });

  const dispatchCount = async (orderId: string) => {
    const { rows } = await demo!.system.dispatchPool.query<{ n: string }>(
      'SELECT count(*) AS n FROM dispatches WHERE order_id = $1',
      [orderId],
    );
    return Number(rows[0]!.n);
  };

  it('consumer-crash-before-ack redelivers the message and still ends with exactly one dispatch', async () => {
    env = await createIsolatedEnv('crash_ack');
    demo = await startDemo(env, { faults: { 'consumer-crash-before-ack': 1 } });
    const [orderId] = await placeOrders(demo, 1);

    await waitFor('the redelivery to be processed', async () => demo!.system.dispatchStats.redeliveries >= 1);
    await waitFor(
      'the queue to be empty (the redelivery was acked)',
      async () => (await queueDepth(env!, DISPATCH_QUEUE)) === 0,
    );
    expect(await dispatchCount(orderId!)).toBe(1);
    expect(demo.system.dispatchStats.absorbed).toBeGreaterThanOrEqual(1);
    const ledger = await demo.ledger('consumer-crash-before-ack');
    expect(ledger.map((r) => r.order_id)).toEqual([orderId]);
  });

  it('non-idempotent consumer plus redelivery dispatches one order twice', async () => {
    env = await createIsolatedEnv('non_idem');
    demo = await startDemo(env, { faults: { 'non-idempotent': 1 } });
    const [orderId] = await placeOrders(demo, 1);

    await waitFor('a second dispatch', async () => (await dispatchCount(orderId!)) === 2);
    await waitFor('the queue to be empty', async () => (await queueDepth(env!, DISPATCH_QUEUE)) === 0);
    expect(await dispatchCount(orderId!)).toBe(2);
    const inbox = await demo.system.dispatchPool.query('SELECT 1 FROM processed_messages');
    expect(inbox.rowCount).toBe(0);
    expect((await demo.ledger('non-idempotent')).map((r) => r.order_id)).toEqual([orderId]);
  });

  it('the idempotent consumer absorbs a duplicate delivery of one message', async () => {
    env = await createIsolatedEnv('dedupe');
    demo = await startDemo(env);
    const [orderId] = await placeOrders(demo, 1);
    await waitFor('the dispatch', async () => (await dispatchCount(orderId!)) === 1);
    // Make the relay publish the same outbox row again, as it does after an in-doubt confirm.
    await demo.system.ordersPool.query(
      'UPDATE outbox SET confirmed_at = NULL, next_attempt_at = now() WHERE aggregate_id = $1',
      [orderId],
    );
    await waitFor('the republished row to be confirmed', async () => {
      const { rowCount } = await demo!.system.ordersPool.query(
        'SELECT 1 FROM outbox WHERE aggregate_id = $1 AND confirmed_at IS NOT NULL',
        [orderId],
      );
      return rowCount === 1;
    });
    await waitFor('the duplicate to be absorbed', async () => demo!.system.dispatchStats.absorbed === 1);
    expect(await dispatchCount(orderId!)).toBe(1);
  });

  it('poison is rejected without requeue and lands in the dead-letter queue with x-death reason rejected', async () => {
    env = await createIsolatedEnv('poison');
    demo = await startDemo(env);
    const poison = await demo.system.orders.publishPoison();
    expect(poison).toBeDefined();

    await waitFor('the dead letter', async () => (await queueDepth(env!, DISPATCH_DEAD_LETTER_QUEUE)) === 1);
    const [letter] = await drainQueue(env, DISPATCH_DEAD_LETTER_QUEUE);
    expect(letter!.messageId).toBe(poison!.messageId);
    expect(letter!.xDeath[0]).toMatchObject({
      reason: 'rejected',
      queue: DISPATCH_QUEUE,
      exchange: 'orders',
      'routing-keys': ['order.created'],
    });
    expect((await demo.ledger('poison')).map((r) => r.message_id)).toEqual([poison!.messageId]);
    const dispatches = await demo.system.dispatchPool.query('SELECT 1 FROM dispatches');
    expect(dispatches.rowCount).toBe(0);
  });

  it('lost-dispatch deletes the dispatch and leaves an order without one', async () => {
    env = await createIsolatedEnv('lost');
    demo = await startDemo(env);
    const [orderId] = await placeOrders(demo, 1);
    demo.system.lostDispatch.enqueue(orderId!);

    await waitFor('the loss to be recorded', async () => (await demo!.ledger('lost-dispatch')).length === 1);
    expect(await dispatchCount(orderId!)).toBe(0);
    const order = await demo.system.ordersPool.query('SELECT 1 FROM orders WHERE id = $1', [orderId]);
    expect(order.rowCount).toBe(1);
    // The inbox still holds the message id: redelivering the same id would be absorbed, not repaired.
    const inbox = await demo.system.dispatchPool.query('SELECT 1 FROM processed_messages');
    expect(inbox.rowCount).toBe(1);
    expect((await demo.ledger('lost-dispatch')).map((r) => r.order_id)).toEqual([orderId]);
  });
});
