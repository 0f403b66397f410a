import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recon } from '../../server/recon.ts';
import { act, waitForFindingState } from '../support/actions.ts';
import { type DemoHarness, placeOrders, startDemo } from '../support/demo-harness.ts';
import { countDispatches } from '../support/dispatch-rows.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { startTestRecon } from '../support/recon-harness.ts';
import { addUser } from '../support/users.ts';
import { waitFor } from '../support/wait-for.ts';

// Each order-side action repairs its finding end to end, against the real demo system: the next cycles resolve
// the finding and the databases hold what they should for the key.
describe('repair actions on order and dispatch findings', () => {
  let env: IsolatedEnv;
  let demo: DemoHarness;
  let recon: Recon;
  let operator: string;

  const orders = async (orderId: string) =>
    (await demo.system.ordersPool.query('SELECT 1 FROM orders WHERE id = $1', [orderId])).rowCount;
  const liveDispatches = (orderId: string) => countDispatches(demo, orderId, { live: true });

  beforeAll(async () => {
    env = await createIsolatedEnv('actions_orders');
    demo = await startDemo(env, { replenishDelayMs: 200 });
    recon = await startTestRecon(env, { RECON_GRACE_SECONDS: '2', RECON_SWEEP_INTERVAL_SECONDS: '2' });
    operator = await addUser(env, 'olga', 'operator');
  });
  afterAll(async () => {
    await recon?.stop();
    await demo?.stop();
    await env?.destroy();
  });

  it('redeliver: a lost dispatch is made again, once', async () => {
    const [orderId] = await placeOrders(demo, 1);
    await waitFor('the dispatch', async () => (await liveDispatches(orderId!)) === 1);
    await demo.system.dispatchPool.query('DELETE FROM dispatches WHERE order_id = $1', [orderId]);
    await waitForFindingState(recon, 'order-without-dispatch', orderId!, 'open');

    const reply = await act(recon, operator, `order-without-dispatch:${orderId}`, { action: 'redeliver' });
    expect(reply.status).toBe(201);
    expect(reply.json.status).toBe('done');
    await waitForFindingState(recon, 'order-without-dispatch', orderId!, 'resolved');
    expect(await orders(orderId!)).toBe(1);
    expect(await liveDispatches(orderId!)).toBe(1);
  });

  it('republish: a stuck outbox row is published and marked confirmed only after the confirm', async () => {
    demo.faults['relay-crash-before-confirm'] = 1;
    const [orderId] = await placeOrders(demo, 1);
    const fault = await waitFor('the relay crash', async () => (await demo.ledger('relay-crash-before-confirm'))[0]);
    demo.faults['relay-crash-before-confirm'] = 0;
    const messageId = fault.message_id!;
    await waitForFindingState(recon, 'stuck-outbox', messageId, 'open');

    const reply = await act(recon, operator, `stuck-outbox:${messageId}`, { action: 'republish' });
    expect(reply.json).toMatchObject({ status: 'done', messageId: expect.any(String) });
    const { rows } = await demo.system.ordersPool.query('SELECT confirmed_at FROM outbox WHERE message_id = $1', [
      messageId,
    ]);
    expect(rows[0].confirmed_at).toBeInstanceOf(Date);
    await waitForFindingState(recon, 'stuck-outbox', messageId, 'resolved');
    await waitFor('the dispatch', async () => (await liveDispatches(orderId!)) === 1);
    expect(await orders(orderId!)).toBe(1);
  });

  it('make-up-order and cancel-dispatch: two orders that rolled back after their message went out', async () => {
    demo.faults['replenisher-down'] = 1;
    const madeUp = (await demo.system.orders.placeOrderThenRollback())!.orderId;
    const cancelled = (await demo.system.orders.placeOrderThenRollback())!.orderId;
    await waitFor('both replenisher misses', async () => (await demo.ledger('replenisher-down')).length === 2);
    demo.faults['replenisher-down'] = 0;
    await waitForFindingState(recon, 'dispatch-without-order', madeUp, 'open');
    await waitForFindingState(recon, 'dispatch-without-order', cancelled, 'open');

    const makeUp = await act(recon, operator, `dispatch-without-order:${madeUp}`, { action: 'make-up-order' });
    expect(makeUp.json.status).toBe('done');
    const cancel = await act(recon, operator, `dispatch-without-order:${cancelled}`, { action: 'cancel-dispatch' });
    expect(cancel.json.status).toBe('done');

    await waitForFindingState(recon, 'dispatch-without-order', madeUp, 'resolved');
    await waitForFindingState(recon, 'dispatch-without-order', cancelled, 'resolved');
    expect([await orders(madeUp), await liveDispatches(madeUp)]).toEqual([1, 1]);
    const { rows } = await demo.system.ordersPool.query('SELECT status FROM orders WHERE id = $1', [madeUp]);
    expect(rows[0].status).toBe('replenished');
    expect([await orders(cancelled), await liveDispatches(cancelled)]).toEqual([0, 0]);
  });

  it('cancel-dispatch on a duplicate dispatch cancels the extras and keeps the oldest', async () => {
    demo.faults['non-idempotent'] = 1;
    const [orderId] = await placeOrders(demo, 1);
    await waitFor('the double dispatch', async () => (await liveDispatches(orderId!)) === 2);
    demo.faults['non-idempotent'] = 0;
    await waitForFindingState(recon, 'duplicate-dispatch', orderId!, 'open');
    const { rows: before } = await demo.system.dispatchPool.query(
      'SELECT id FROM dispatches WHERE order_id = $1 ORDER BY created_at, id',
      [orderId],
    );

    const reply = await act(recon, operator, `duplicate-dispatch:${orderId}`, { action: 'cancel-dispatch' });
    expect(reply.json.status).toBe('done');
    await waitForFindingState(recon, 'duplicate-dispatch', orderId!, 'resolved');
    const { rows: live } = await demo.system.dispatchPool.query(
      "SELECT id FROM dispatches WHERE order_id = $1 AND status <> 'cancelled'",
      [orderId],
    );
    expect(live.map((r) => r.id)).toEqual([before[0]!.id]);
  });
});
