import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recon } from '../../server/recon.ts';
import { act, getJson, waitForFindingState } from '../support/actions.ts';
import { type DemoHarness, placeOrders, startDemo } from '../support/demo-harness.ts';
import { countDispatches } from '../support/dispatch-rows.ts';
import { createIsolatedEnv, type IsolatedEnv, management } from '../support/isolated-env.ts';
import { startTestRecon } from '../support/recon-harness.ts';
import { rejectQueued } from '../support/reject-queued.ts';
import { addUser } from '../support/users.ts';
import { waitFor } from '../support/wait-for.ts';

// Redrive and discard against the real broker: dead letters made the way production makes them (a consumer
// rejecting without requeue), taken into Recon's custody, then acted on through the API.
describe('repair actions on dead letters', () => {
  let env: IsolatedEnv;
  let producer: DemoHarness;
  let consumer: DemoHarness | undefined;
  let recon: Recon;
  let operator: string;
  /** Order id → its dead letter's finding id. */
  const letters = new Map<string, string>();

  const liveDispatches = (orderId: string) => countDispatches(producer, orderId, { live: true });

  beforeAll(async () => {
    env = await createIsolatedEnv('actions_dead_letters');
    // No dispatch consumer yet: the orders' messages wait in the queue until this test rejects them.
    producer = await startDemo(env, { services: { dispatch: false } });
    recon = await startTestRecon(env, { RECON_GRACE_SECONDS: '2' });
    operator = await addUser(env, 'dora', 'operator');
    const orderIds = await placeOrders(producer, 4);
    await rejectQueued(env, orderIds.length);
    await waitFor('a dead-letter finding per order', async () => {
      for (const orderId of orderIds) {
        const page = await getJson(recon, `/api/findings?kind=dead-letter&state=open&q=${orderId}`);
        if (page.items.length === 1) letters.set(orderId, page.items[0].id);
      }
      return letters.size === orderIds.length;
    });
    consumer = await startDemo(env, { services: { relay: false, replenisher: false } });
  });
  afterAll(async () => {
    await recon?.stop();
    await consumer?.stop();
    await producer?.stop();
    await env?.destroy();
  });

  const nth = (i: number) => [...letters.entries()][i]!;

  it('redrive publishes the letter to its origin and the consumer dispatches the order', async () => {
    const [orderId, findingId] = nth(0);
    const reply = await act(recon, operator, findingId, { action: 'redrive' });
    expect(reply.json).toMatchObject({ status: 'done' });
    await waitFor('the dispatch', async () => (await liveDispatches(orderId)) === 1);
    const letter = await getJson(recon, `/api/dead-letters?q=${orderId}`);
    expect(letter.items[0].state).toBe('redriven');
    await waitForFindingState(recon, 'dead-letter', findingId.slice('dead-letter:'.length), 'resolved');
  });

  it('redrive settles as already consistent, without publishing, when the order has its dispatch', async () => {
    const [orderId, findingId] = nth(1);
    await producer.system.dispatchPool.query(
      `INSERT INTO dispatches (order_id, courier, status, order_snapshot) VALUES ($1, 'test', 'assigned', '{}')`,
      [orderId],
    );
    const reply = await act(recon, operator, findingId, { action: 'redrive' });
    expect(reply.json.status).toBe('superseded');
    expect(reply.json.detail).toMatch(/already consistent/);
    const letter = (await getJson(recon, `/api/dead-letters?q=${orderId}`)).items[0];
    expect(letter.state).toBe('consistent');
    // Had it been republished, the running consumer would have recorded its message id in the inbox.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const { rowCount } = await producer.system.dispatchPool.query(
      'SELECT 1 FROM processed_messages WHERE message_id = $1',
      [letter.messageId],
    );
    expect(rowCount).toBe(0);
    expect(await liveDispatches(orderId)).toBe(1);
  });

  it('redrive to an origin whose bindings were removed fails as unroutable, never done', async () => {
    const [orderId, findingId] = nth(2);
    const vhost = encodeURIComponent(env.vhost);
    const bindings = (await management('GET', `/api/exchanges/${vhost}/orders/bindings/source`)) as Array<{
      destination: string;
      routing_key: string;
      properties_key: string;
    }>;
    expect(bindings.length).toBeGreaterThan(0);
    for (const b of bindings)
      await management(
        'DELETE',
        `/api/bindings/${vhost}/e/orders/q/${encodeURIComponent(b.destination)}/${b.properties_key}`,
      );
    try {
      const reply = await act(recon, operator, findingId, { action: 'redrive' });
      expect(reply.json.status).toBe('failed');
      expect(reply.json.detail).toMatch(/unroutable/);
      const letter = await getJson(recon, `/api/dead-letters?q=${orderId}`);
      expect(letter.items[0].state).toBe('stored');
    } finally {
      for (const b of bindings)
        await management('POST', `/api/bindings/${vhost}/e/orders/q/${encodeURIComponent(b.destination)}`, {
          routing_key: b.routing_key,
        });
    }
    expect(await liveDispatches(orderId)).toBe(0);
  });

  it('discard keeps the letter searchable with the reason and resolves its finding', async () => {
    const [orderId, findingId] = nth(3);
    const reply = await act(recon, operator, findingId, { action: 'discard', reason: 'customer cancelled by phone' });
    expect(reply.json.status).toBe('done');
    const letter = await getJson(recon, `/api/dead-letters?q=${orderId}`);
    expect(letter.items[0]).toMatchObject({ state: 'discarded', stateReason: 'customer cancelled by phone' });
    await waitForFindingState(recon, 'dead-letter', findingId.slice('dead-letter:'.length), 'resolved');
  });
});
