import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINDING_KINDS, type FindingKind } from '../../reconcilers/registry.ts';
import { loadConfig } from '../../server/config.ts';
import { createFlowAdapters } from '../../server/flow-adapters.ts';
import type { Recon } from '../../server/recon.ts';
import { act, getJson, readApi, waitForFindingState } from '../support/actions.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import {
  CANCELLED,
  createShopDatabases,
  DELIVERY_CONSUMER,
  type DeliveryConsumer,
  declareTopology,
  ERROR_QUEUE,
  EXAMPLE_DIR,
  envelope,
  INPUT_QUEUE,
  insertInboxState,
  insertOutboxMessage,
  NOTIFY_CONSUMER,
  publishFault,
  type ShopDatabases,
  SUBMITTED,
  startDeliveryConsumer,
} from '../support/masstransit-shop.ts';
import { openKeys, startTestRecon } from '../support/recon-harness.ts';
import { addUser } from '../support/users.ts';
import { waitFor } from '../support/wait-for.ts';

// examples/masstransit/ end to end: MassTransit's EF Core outbox and inbox tables as EF Core + Npgsql create them,
// int order ids referenced from a bigint column, deliveries without an update time, faults in a `_error` queue.
// A few hundred consistent orders, every inconsistency this flow can have, and decoys that must stay quiet; Recon
// runs from the example's recon.yaml. The grace period is long, so a young outbox row stays young for the test;
// fixes are seen when the open findings are re-checked, every two seconds here.
const GRACE_SECONDS = 300;
const OLD = '2 hours';

const stuck = { first: randomUUID(), second: randomUUID(), young: randomUUID() };
const letters = { redrive: randomUUID(), discard: randomUUID() };

/** What every check of this flow should report at first, kind → sorted keys; every other kind: nothing. */
const PLANTED: Partial<Record<FindingKind, string[]>> = {
  'order-without-dispatch': ['401', '402', '403', '404'],
  // An order reference no int order id can ever be (beyond int4) or none the orders have (negative, unknown): a
  // bigint is a well-formed integer key, so these are deliveries of orders that do not exist, not malformed ones.
  // "OrderId" is a bigint NOT NULL: no reference here can be malformed, so malformed-order-reference stays empty.
  'dispatch-without-order': ['-5', '3000000000', '9001', '9002'],
  'duplicate-dispatch': ['501', '502'],
  'stuck-outbox': [stuck.first, stuck.second].sort(),
  'dead-letter': [letters.redrive, letters.discard].sort(),
};

async function seed(db: ShopDatabases) {
  await db.orders.query(
    `INSERT INTO "Orders" ("Id", "CustomerId", "Status", "CreatedAt", "UpdatedAt")
     SELECT i, 'c-' || i, CASE WHEN i % 3 = 0 THEN 'Submitted' ELSE 'Paid' END, t, t
       FROM generate_series(1, 300) i, LATERAL (SELECT now() - interval '3 hours' + i * interval '10 seconds' AS t) x;
     INSERT INTO "Orders" ("Id", "CustomerId", "Status", "CreatedAt", "UpdatedAt")
     SELECT i, 'c-' || i, CASE WHEN i BETWEEN 301 AND 306 THEN 'Cancelled' ELSE 'Paid' END,
            now() - interval '${OLD}', now() - interval '${OLD}'
       FROM unnest(ARRAY[301, 302, 303, 304, 305, 306, 401, 402, 403, 404, 501, 502, 503]) i;
     INSERT INTO "Orders" ("Id", "CustomerId", "Status", "CreatedAt", "UpdatedAt")
       VALUES (405, 'c-405', 'Paid', now(), now());`,
  );
  const delivery = (orderId: number | string, status: number, ago: string) =>
    `(${orderId}, ${status}, 'courier-${Math.abs(Number(orderId)) % 7}', now() - interval '${ago}')`;
  const deliveries = [
    // Order 306 was cancelled with its delivery; 503 was delivered again once and the extra one cancelled.
    delivery(306, CANCELLED, OLD),
    delivery(503, 3, OLD),
    delivery(503, CANCELLED, '119 minutes'),
    // A cancelled delivery of a missing order is over, and order 404's only delivery was cancelled.
    delivery(9003, CANCELLED, OLD),
    delivery(404, CANCELLED, OLD),
    delivery(501, 1, OLD),
    delivery(501, 2, '119 minutes'),
    delivery(502, 1, OLD),
    delivery(502, 1, '118 minutes'),
    delivery(9001, 1, OLD),
    delivery(9002, 2, OLD),
    delivery(3000000000, 1, OLD),
    delivery(-5, 1, OLD),
  ];
  await db.dispatch.query(
    `INSERT INTO "Deliveries" ("OrderId", "Status", "CourierName", "CreatedAt")
     SELECT i, 1 + i % 3, 'courier-' || (i % 7), now() - interval '3 hours' + i * interval '10 seconds' + interval '2 seconds'
       FROM generate_series(1, 300) i;
     INSERT INTO "Deliveries" ("OrderId", "Status", "CourierName", "CreatedAt") VALUES ${deliveries.join(', ')};`,
  );
  // MassTransit deleted the rows it sent; what is left is not sent yet. Other messages share the table.
  const outbox = async (messageId: string, messageType: string, orderId: number, sentAgo: string) =>
    insertOutboxMessage(db.orders, {
      messageId,
      messageType,
      message: { orderId, customerId: `c-${orderId}` },
      sentAgo,
    });
  await outbox(stuck.first, SUBMITTED, 403, OLD);
  await outbox(stuck.second, SUBMITTED, 404, OLD);
  await outbox(stuck.young, SUBMITTED, 405, '1 second');
  await outbox(randomUUID(), 'urn:message:Shop.Contracts:OrderPaid', 10, OLD);
  await outbox(randomUUID(), 'urn:message:Shop.Contracts:CustomerNotified', 11, OLD);
  // The delivery service's own outbox, in the dispatch database: not this flow's.
  await insertOutboxMessage(db.dispatch, {
    messageId: randomUUID(),
    messageType: 'urn:message:Shop.Contracts:DeliveryAssigned',
    message: { orderId: 12 },
    sentAgo: OLD,
  });
  // The inbox: the delivery consumer's rows and a notifications consumer's for the same messages.
  for (let i = 0; i < 20; i++) {
    const messageId = randomUUID();
    await insertInboxState(db.dispatch, messageId, DELIVERY_CONSUMER);
    await insertInboxState(db.dispatch, messageId, NOTIFY_CONSUMER);
  }
}

describe('the masstransit example: EF Core outbox and inbox, int orders, bigint references, an _error queue', () => {
  let env: IsolatedEnv;
  let db: ShopDatabases;
  let recon: Recon;
  let operator: string;
  let consumer: DeliveryConsumer | undefined;
  const reconEnv = () => ({
    RECON_CONFIG: `${EXAMPLE_DIR}recon.yaml`,
    RABBITMQ_MANAGEMENT_URL: env.managementUrl,
    RECON_GRACE_SECONDS: String(GRACE_SECONDS),
    RECON_SWEEP_INTERVAL_SECONDS: '2',
    // Without an update time a fixed delivery announces nothing: its open finding resolves when it is re-checked.
    RECON_RECHECK_INTERVAL_SECONDS: '2',
  });

  /** Every kind's open keys, the kinds with none left out. */
  const openFindings = async () => {
    const open: Partial<Record<FindingKind, string[]>> = {};
    for (const kind of FINDING_KINDS) {
      const keys = await openKeys(recon, kind);
      if (keys.length > 0) open[kind] = keys;
    }
    return open;
  };
  const expectOpen = async (expected: Partial<Record<FindingKind, string[]>>) => {
    const sorted: Partial<Record<FindingKind, string[]>> = {};
    for (const kind of FINDING_KINDS) if (expected[kind]) sorted[kind] = [...expected[kind]].sort();
    let last: unknown;
    await waitFor(`open findings ${JSON.stringify(sorted)}`, async () => {
      last = await openFindings();
      return JSON.stringify(last) === JSON.stringify(sorted);
    }).catch((error) => {
      throw new Error(`${(error as Error).message}; last seen ${JSON.stringify(last)}`);
    });
  };
  const deliveriesOf = async (orderId: number | string) =>
    (
      await db.dispatch.query(
        `SELECT to_jsonb(d) AS row FROM "Deliveries" d WHERE "OrderId" = $1 ORDER BY "CreatedAt", "Id"`,
        [orderId],
      )
    ).rows.map((r) => r.row as Record<string, unknown>);

  beforeAll(async () => {
    env = await createIsolatedEnv('preset_masstransit');
    db = await createShopDatabases(env);
    await seed(db);
    await declareTopology(env);
    await publishFault(
      env,
      letters.redrive,
      envelope(letters.redrive, SUBMITTED, { orderId: 402, customerId: 'c-402' }),
      'No courier is on shift',
    );
    await publishFault(
      env,
      letters.discard,
      envelope(letters.discard, SUBMITTED, { orderId: 404, customerId: 'c-404' }),
      'The address is not deliverable',
    );
    recon = await startTestRecon(env, reconEnv());
    operator = await addUser(env, 'mia', 'operator');
  });
  afterAll(async () => {
    await consumer?.stop();
    await recon?.stop();
    await db?.close();
    await env?.destroy();
  });

  it('reports exactly the planted inconsistencies, and none of the decoys', async () => {
    await expectOpen(PLANTED);
  });

  it('says on /api/sources that deliveries are seen by the full sweep only, and republish is off', async () => {
    const { features } = await getJson(recon, '/api/sources');
    const byName = Object.fromEntries(features.map((f: { feature: string }) => [f.feature, f]));
    expect(byName['incremental-dispatches']).toEqual({
      feature: 'incremental-dispatches',
      isOn: false,
      detail:
        'flows[0].dispatch.updatedAt is null: changes are seen by the full sweep only (every RECON_SWEEP_INTERVAL_SECONDS; 120 s unless that is set)',
    });
    expect(byName['incremental-orders'].isOn).toBe(true);
    expect(byName.republish.isOn).toBe(false);
    expect(byName.inbox.isOn).toBe(true);
  });

  it('extracts the integer order id of a MassTransit fault from its envelope, with the fault as reason', async () => {
    const finding = await getJson(recon, `/api/findings/dead-letter:${letters.redrive}`);
    expect(finding.evidence).toMatchObject({
      orderId: '402',
      queue: ERROR_QUEUE,
      reason: 'fault',
      originExchange: '',
      originRoutingKeys: [INPUT_QUEUE],
      firstDeathQueue: INPUT_QUEUE,
      isParseable: true,
    });
  });

  it('offers no republish on a stuck OutboxMessage: MassTransit sends and deletes its own rows', async () => {
    const finding = await getJson(recon, `/api/findings/stuck-outbox:${stuck.second}`);
    expect(finding.evidence).toMatchObject({ messageId: stuck.second, orderId: '404', eventType: SUBMITTED });
    expect(finding.actions).not.toContain('republish');
    const refused = await act(recon, operator, `stuck-outbox:${stuck.second}`, { action: 'republish' });
    expect(refused.status).toBe(422);
  });

  it('counts only the delivery consumer\'s consumed "InboxState" rows as processed', async () => {
    const processed = randomUUID();
    const otherConsumers = randomUUID();
    await insertInboxState(db.dispatch, processed, DELIVERY_CONSUMER);
    await insertInboxState(db.dispatch, otherConsumers, NOTIFY_CONSUMER);
    const flow = createFlowAdapters(loadConfig({ ...reconEnv(), ...envUrls(env) }).watched);
    try {
      expect(await flow.repairs.dispatch.isProcessed(processed)).toBe(true);
      expect(await flow.repairs.dispatch.isProcessed(otherConsumers)).toBe(false);
      expect(await flow.repairs.dispatch.isProcessed('not-a-uuid')).toBe(false);
    } finally {
      await flow.close();
    }
  });

  it('shows an integer order and its fault on the timeline, and answers for a reference no int order can have', async () => {
    const timeline = await getJson(recon, '/api/orders/404/timeline');
    expect(timeline).toMatchObject({ orderId: '404', order: { Id: 404, Status: 'Paid' }, unavailable: [] });
    expect(timeline.outbox.map((row: { MessageId: string }) => row.MessageId)).toEqual([stuck.second]);
    expect(timeline.dispatches.map((row: { Status: number }) => row.Status)).toEqual([CANCELLED]);
    const faulted = await getJson(recon, '/api/orders/402/timeline');
    expect(faulted.deadLetters.map((letter: { messageId: string }) => letter.messageId)).toEqual([letters.redrive]);
    expect(
      (await getJson(recon, '/api/dead-letters?q=402')).items.map((l: { messageId: string }) => l.messageId),
    ).toEqual([letters.redrive]);
    const beyond = await readApi(recon, '/api/orders/3000000000/timeline');
    expect(beyond.status).toBe(200);
    const body = (await beyond.json()) as { dispatches: Array<{ OrderId: number }> };
    expect(body).toMatchObject({ orderId: '3000000000', order: null, unavailable: [] });
    expect(body.dispatches.map((row) => row.OrderId)).toEqual([3000000000]);
  });

  it('resolves what is fixed by hand and keeps the rest open', async () => {
    // The delivery service sent the first stuck message (and deleted its row); order 403 got its delivery; the
    // courier of missing order 9001 was stood down. And someone cancelled order 7's only delivery by mistake: a
    // change no update time announces, which the full sweep finds.
    await db.orders.query('DELETE FROM "OutboxMessage" WHERE "MessageId" = $1', [stuck.first]);
    await db.dispatch.query(
      `INSERT INTO "Deliveries" ("OrderId", "Status", "CourierName", "CreatedAt") VALUES (403, 1, 'courier-3', now())`,
    );
    await db.dispatch.query('UPDATE "Deliveries" SET "Status" = $1 WHERE "OrderId" IN (9001, 7)', [CANCELLED]);
    await expectOpen({
      ...PLANTED,
      'order-without-dispatch': ['401', '402', '404', '7'],
      'dispatch-without-order': ['-5', '3000000000', '9002'],
      'stuck-outbox': [stuck.second],
    });
  });

  describe('repairs on this non-uuid flow', () => {
    beforeAll(async () => {
      consumer = await startDeliveryConsumer(env, db.dispatch);
    });

    it('cancel-dispatch cancels the newer duplicate with the first cancelled status, writing nothing else', async () => {
      const [kept, extra] = await deliveriesOf(501);
      const reply = await act(recon, operator, 'duplicate-dispatch:501', { action: 'cancel-dispatch' });
      expect(reply.status).toBe(201);
      expect(reply.json.status).toBe('done');
      // "Deliveries" has no update-time column: only "Status" changed, to DeliveryStatus.Cancelled.
      expect(await deliveriesOf(501)).toEqual([kept, { ...extra, Status: CANCELLED }]);
      await waitForFindingState(recon, 'duplicate-dispatch', '501', 'resolved');
    });

    it('cancel-dispatch stands down the courier of an order no int id can have', async () => {
      const reply = await act(recon, operator, 'dispatch-without-order:3000000000', { action: 'cancel-dispatch' });
      expect(reply.json).toMatchObject({ status: 'done', detail: 'cancelled 1 dispatch(es) of order 3000000000' });
      expect((await deliveriesOf(3000000000)).map((row) => row.Status)).toEqual([CANCELLED]);
      await waitForFindingState(recon, 'dispatch-without-order', '3000000000', 'resolved');
    });

    it('redrive puts the fault back into the input queue its MT-Fault-InputAddress names', async () => {
      const reply = await act(recon, operator, `dead-letter:${letters.redrive}`, { action: 'redrive' });
      expect(reply.json.status).toBe('done');
      const arrived = await waitFor('the redriven message at the consumer', async () =>
        consumer!.received.find((m) => m.properties.messageId === letters.redrive),
      );
      expect(arrived.fields).toMatchObject({ exchange: '', routingKey: INPUT_QUEUE });
      expect(JSON.parse(arrived.content.toString()).message).toEqual({ orderId: 402, customerId: 'c-402' });
      expect(arrived.properties.headers).toMatchObject({
        'MT-Fault-Message': 'No courier is on shift',
        'x-recon-replay-count': 1,
      });
      await waitForFindingState(recon, 'dead-letter', letters.redrive, 'resolved');
      await waitForFindingState(recon, 'order-without-dispatch', '402', 'resolved');
    });

    it('discard settles the other fault without sending it anywhere', async () => {
      const reply = await act(recon, operator, `dead-letter:${letters.discard}`, { action: 'discard' });
      expect(reply.json.status).toBe('done');
      await waitForFindingState(recon, 'dead-letter', letters.discard, 'resolved');
      expect(consumer!.received.some((m) => m.properties.messageId === letters.discard)).toBe(false);
    });

    it("redeliver publishes the order in MassTransit's envelope to its message exchange; the consumer makes the delivery", async () => {
      const reply = await act(recon, operator, 'order-without-dispatch:401', { action: 'redeliver' });
      expect(reply.json.status).toBe('done');
      const arrived = await waitFor('the redelivered order at the consumer', async () =>
        consumer!.received.find((m) => JSON.parse(m.content.toString()).message?.orderId === 401),
      );
      expect(arrived.properties.contentType).toBe('application/vnd.masstransit+json');
      expect(JSON.parse(arrived.content.toString())).toMatchObject({
        messageId: arrived.properties.messageId,
        messageType: ['urn:message:Shop.Contracts:OrderSubmitted'],
        message: { orderId: 401, customerId: 'c-401' },
      });
      await waitForFindingState(recon, 'order-without-dispatch', '401', 'resolved');
      expect((await deliveriesOf(401)).length).toBe(1);
    });

    it('leaves exactly the findings nobody repaired open', async () => {
      await expectOpen({
        'order-without-dispatch': ['404', '7'],
        'dispatch-without-order': ['-5', '9002'],
        'duplicate-dispatch': ['502'],
        'stuck-outbox': [stuck.second],
      });
    });
  });
});

function envUrls(env: IsolatedEnv) {
  return {
    RECON_DATABASE_URL: env.reconDatabaseUrl,
    ORDERS_DATABASE_URL: env.ordersDatabaseUrl,
    DISPATCH_DATABASE_URL: env.dispatchDatabaseUrl,
    RABBITMQ_URL: env.rabbitmqUrl,
  };
}
