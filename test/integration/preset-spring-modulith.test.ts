import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import amqp from 'amqplib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recon } from '../../server/recon.ts';
import { act, getJson, readApi, waitForFindingState } from '../support/actions.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { startTestRecon } from '../support/recon-harness.ts';
import {
  EVENT_TYPE,
  EXAMPLE_DIR,
  EXTERNALIZER,
  exampleSql,
  type OrderPlaced,
  PLAN,
  type SeededShop,
  seedShop,
} from '../support/spring-modulith-shop.ts';
import { addUser } from '../support/users.ts';
import { waitFor } from '../support/wait-for.ts';

// Recon pointed at examples/spring-modulith as a user would: the library's DDL verbatim, the example's orders and
// deliveries tables, its recon.yaml. Orders are bigints, deliveries reference them as varchar, every event has two
// listener rows of which only the externalizer's is this flow's. Recon must report exactly what was planted, none
// of the decoys, and repair each kind on these keys.
const EXCHANGE = 'shop.orders';
const ROUTING_KEY = 'order.placed';
const QUEUE = 'dispatch.order-placed';
const DLQ = 'dispatch.order-placed.dlq';
/** Long enough that the rows placed seconds ago stay young through the first judgements. */
const GRACE_SECONDS = 60;

describe('Recon on a Spring Modulith shop (examples/spring-modulith)', () => {
  let env: IsolatedEnv;
  let pools: { orders: pg.Pool; dispatch: pg.Pool };
  let shop: SeededShop;
  let broker: amqp.ChannelModel;
  let recon: Recon;
  let operator: string;
  const deadLetterId = randomUUID();
  const publication = (n: number) => shop.publicationOf.get(n)!;

  beforeAll(async () => {
    env = await createIsolatedEnv('preset_spring');
    pools = {
      orders: new pg.Pool({ connectionString: env.ordersDatabaseUrl, max: 2 }),
      dispatch: new pg.Pool({ connectionString: env.dispatchDatabaseUrl, max: 2 }),
    };
    await pools.orders.query(exampleSql('event-publication.sql'));
    await pools.orders.query(exampleSql('orders.sql'));
    await pools.dispatch.query(exampleSql('deliveries.sql'));
    shop = await seedShop(pools);

    // The topology the shop declares: the dispatch service's queue dead-letters into its DLQ.
    broker = await amqp.connect(env.rabbitmqUrl);
    const channel = await broker.createConfirmChannel();
    await channel.assertExchange(EXCHANGE, 'topic', { durable: true });
    await channel.assertQueue(DLQ, { durable: true });
    await channel.assertQueue(QUEUE, {
      durable: true,
      arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': DLQ },
    });
    await channel.bindQueue(QUEUE, EXCHANGE, ROUTING_KEY);
    // A message the dispatch service rejected: order 17's event, dead-lettered by the broker.
    channel.publish(EXCHANGE, ROUTING_KEY, Buffer.from(JSON.stringify(shop.eventOf.get(17))), {
      messageId: deadLetterId,
      contentType: 'application/json',
    });
    await channel.waitForConfirms();
    const rejected = await waitFor('the message to reject', async () => channel.get(QUEUE));
    channel.nack(rejected, false, false);
    await startDispatchService(broker, pools.dispatch);

    recon = await startTestRecon(env, {
      RECON_CONFIG: fileURLToPath(new URL('recon.yaml', EXAMPLE_DIR)),
      RABBITMQ_MANAGEMENT_URL: env.managementUrl,
      RECON_GRACE_SECONDS: String(GRACE_SECONDS),
      RECON_SWEEP_INTERVAL_SECONDS: '2',
      RECON_RECHECK_INTERVAL_SECONDS: '1',
    });
    operator = await addUser(env, 'olga', 'operator');
  });
  afterAll(async () => {
    await recon?.stop();
    await broker?.close();
    await Promise.all(Object.values(pools ?? {}).map((pool) => pool.end()));
    await env?.destroy();
  });

  const planted = () => ({
    'order-without-dispatch': PLAN.withoutDelivery.map(String).sort(),
    'dispatch-without-order': [...PLAN.orphans].sort(),
    'duplicate-dispatch': PLAN.duplicated.map(String).sort(),
    'stuck-outbox': [PLAN.stuckPublished, PLAN.stuckResubmitted, PLAN.youngFailed].map(publication).sort(),
    'malformed-order-reference': [PLAN.malformed],
    'dead-letter': [deadLetterId],
  });

  it('reports exactly the planted inconsistencies after a full sweep and a cycle, and none of the decoys', async () => {
    expect(await recon.scheduler.runSweep()).toMatchObject({ complete: true, ordersScanned: 298 });
    await recon.scheduler.runCycle();
    await waitForFindingState(recon, 'dead-letter', deadLetterId, 'open');
    expect(await openFindings(recon)).toEqual(planted());
    const letter = await getJson(recon, `/api/findings/${encodeURIComponent(`dead-letter:${deadLetterId}`)}`);
    expect(letter.evidence).toMatchObject({ orderId: '17', queue: DLQ, originExchange: EXCHANGE });
    const failed = await getJson(recon, `/api/findings/stuck-outbox:${publication(PLAN.youngFailed)}`);
    expect(failed.evidence).toMatchObject({ orderId: String(PLAN.youngFailed), hasFailed: true, attempts: 1 });
  });

  it('resolves what is fixed by hand, and keeps the rest open', async () => {
    const fixed = {
      'order-without-dispatch': '42',
      'duplicate-dispatch': '62',
      'dispatch-without-order': '92',
      'stuck-outbox': publication(PLAN.stuckPublished),
      'malformed-order-reference': PLAN.malformed,
    } as const;
    await deliver(pools.dispatch, shop.eventOf.get(42)!);
    await pools.dispatch.query(
      `UPDATE delivery SET status = 'cancelled', updated_at = now()
       WHERE delivery_id = (SELECT max(delivery_id) FROM delivery WHERE order_ref = '62')`,
    );
    await pools.dispatch.query(`DELETE FROM delivery WHERE order_ref = '92'`);
    await pools.dispatch.query(`UPDATE delivery SET status = 'cancelled', updated_at = now() WHERE order_ref = $1`, [
      PLAN.malformed,
    ]);
    // As the registry completes a publication (and the young one completes on its own).
    for (const n of [PLAN.stuckPublished, PLAN.young])
      await pools.orders.query(
        `UPDATE event_publication SET status = 'COMPLETED', completion_date = now() WHERE id = $1`,
        [publication(n)],
      );

    for (const [kind, key] of Object.entries(fixed))
      await waitForFindingState(recon, kind as keyof typeof fixed, key, 'resolved');
    await recon.scheduler.runSweep();
    await recon.scheduler.runCycle();
    const open: Record<string, string[]> = planted();
    for (const [kind, key] of Object.entries(fixed)) {
      open[kind] = without(open[kind], key);
      if (open[kind].length === 0) delete open[kind];
    }
    expect(await openFindings(recon)).toEqual(open);
    // The young publication completed before it was ever late: no finding was opened for it at all.
    expect((await readApi(recon, `/api/findings/stuck-outbox:${publication(PLAN.young)}`)).status).toBe(404);
  });

  it('make-up-order rebuilds order 90 from its delivery, under its own number', async () => {
    const reply = await act(recon, operator, 'dispatch-without-order:90', { action: 'make-up-order' });
    expect(reply.json).toMatchObject({ status: 'done' });
    await waitForFindingState(recon, 'dispatch-without-order', '90', 'resolved');
    const { rows } = await pools.orders.query('SELECT * FROM customer_order WHERE order_no = 90');
    const { rows: snapshots } = await pools.dispatch.query(
      `SELECT order_snapshot FROM delivery WHERE order_ref = '90'`,
    );
    const snapshot = snapshots[0].order_snapshot as OrderPlaced;
    expect(rows).toEqual([
      {
        order_no: '90',
        customer_name: snapshot.customerName,
        delivery_address: snapshot.deliveryAddress,
        total_cents: String(snapshot.totalCents),
        status: 'RECOVERED',
        placed_at: new Date(snapshot.placedAt),
        last_modified_at: expect.any(Date),
      },
    ]);
  });

  it('cancel-dispatch stands down the delivery of order 91, which does not exist', async () => {
    const reply = await act(recon, operator, 'dispatch-without-order:91', { action: 'cancel-dispatch' });
    expect(reply.json).toMatchObject({ status: 'done' });
    await waitForFindingState(recon, 'dispatch-without-order', '91', 'resolved');
    const { rows } = await pools.dispatch.query(
      `SELECT status, updated_at > created_at AS is_touched FROM delivery WHERE order_ref = '91'`,
    );
    expect(rows).toEqual([{ status: 'cancelled', is_touched: true }]);
  });

  it('republish sends the FAILED publication to the configured route, never its class name, and completes it', async () => {
    const channel = await broker.createChannel();
    const tap = (await channel.assertQueue('', { exclusive: true })).queue;
    const byClassName = (await channel.assertQueue('', { exclusive: true })).queue;
    await channel.bindQueue(tap, EXCHANGE, ROUTING_KEY);
    await channel.bindQueue(byClassName, EXCHANGE, EVENT_TYPE);
    const id = publication(PLAN.youngFailed);

    const reply = await act(recon, operator, `stuck-outbox:${id}`, { action: 'republish' });
    expect(reply.json).toMatchObject({ status: 'done' });
    const message = await waitFor('the republished message', async () => channel.get(tap, { noAck: true }));
    expect(message.properties.messageId).toBe(id);
    expect(JSON.parse(message.content.toString())).toEqual(shop.eventOf.get(PLAN.youngFailed));
    expect(await channel.get(byClassName)).toBe(false);
    const { rows } = await pools.orders.query(
      'SELECT status, completion_date IS NOT NULL AS is_completed FROM event_publication WHERE id = $1',
      [id],
    );
    expect(rows).toEqual([{ status: 'COMPLETED', is_completed: true }]);
    await waitForFindingState(recon, 'stuck-outbox', id, 'resolved');
    await channel.close();
  });

  it('redeliver sends order 41 to the dispatch service again, which delivers it', async () => {
    const channel = await broker.createChannel();
    const tap = (await channel.assertQueue('', { exclusive: true })).queue;
    await channel.bindQueue(tap, EXCHANGE, ROUTING_KEY);

    const reply = await act(recon, operator, 'order-without-dispatch:41', { action: 'redeliver' });
    expect(reply.json).toMatchObject({ status: 'done' });
    const message = await waitFor('the redelivered message', async () => channel.get(tap, { noAck: true }));
    expect(JSON.parse(message.content.toString())).toEqual(shop.eventOf.get(41));
    // It names the publication it stands in for: the order's own, found inside serialized_event.
    expect(message.properties.headers).toMatchObject({ 'x-recon-original-message-id': publication(41) });
    await channel.close();
    await waitForFindingState(recon, 'order-without-dispatch', '41', 'resolved');
    const { rows } = await pools.dispatch.query(`SELECT status, order_snapshot FROM delivery WHERE order_ref = '41'`);
    expect(rows).toEqual([{ status: 'assigned', order_snapshot: shop.eventOf.get(41) }]);
  });

  it('answers the timeline of a bigint order with the order and its own outbox row', async () => {
    const timeline = await getJson(recon, `/api/orders/${PLAN.stuckResubmitted}/timeline`);
    expect(timeline.orderId).toBe(String(PLAN.stuckResubmitted));
    expect(timeline.order).toMatchObject({ order_no: PLAN.stuckResubmitted, status: 'PAID' });
    expect(timeline.outbox).toEqual([
      expect.objectContaining({
        id: publication(PLAN.stuckResubmitted),
        listener_id: EXTERNALIZER,
        status: 'RESUBMITTED',
      }),
    ]);
    expect(timeline.dispatches).toHaveLength(1);
    expect(timeline.findings.map((f: { id: string }) => f.id)).toEqual([
      `stuck-outbox:${publication(PLAN.stuckResubmitted)}`,
    ]);
  });
});

/** Every open finding, as kind → sorted keys. */
async function openFindings(recon: Recon): Promise<Record<string, string[]>> {
  const byKind: Record<string, string[]> = {};
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ state: 'open', limit: '500', ...(cursor ? { cursor } : {}) });
    const page = await getJson(recon, `/api/findings?${query}`);
    for (const f of page.items as Array<{ kind: string; key: string }>)
      byKind[f.kind] = [...(byKind[f.kind] ?? []), f.key];
    cursor = page.nextCursor;
  } while (cursor);
  for (const keys of Object.values(byKind)) keys.sort();
  return byKind;
}

const without = (keys: string[] | undefined, key: string) => (keys ?? []).filter((k) => k !== key);

/** The dispatch service: one live delivery per order it is told about, whatever it is told twice. */
async function deliver(pool: pg.Pool, event: OrderPlaced) {
  await pool.query(
    `INSERT INTO delivery (order_ref, status, rider, order_snapshot)
     SELECT $1::varchar, 'assigned', 'rider-test', $2::jsonb
     WHERE NOT EXISTS (SELECT 1 FROM delivery WHERE order_ref = $1::varchar AND status <> 'cancelled')`,
    [String(event.orderNo), JSON.stringify(event)],
  );
}

async function startDispatchService(broker: amqp.ChannelModel, pool: pg.Pool) {
  const channel = await broker.createChannel();
  await channel.consume(QUEUE, async (message) => {
    if (!message) return;
    await deliver(pool, JSON.parse(message.content.toString()) as OrderPlaced);
    channel.ack(message);
  });
}
