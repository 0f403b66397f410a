import amqp from 'amqplib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recon } from '../../server/recon.ts';
import { act, getJson, readApi, waitForFindingState } from '../support/actions.ts';
import { startCapDeliveryService } from '../support/cap-delivery-service.ts';
import {
  CAP_CONFIG,
  capHeaders,
  createCapSchema,
  DLQ,
  EXCHANGE,
  EXPECTED_DATABASE_FINDINGS,
  GROUP,
  messageId,
  N,
  orderCreatedValue,
  orderId,
  seedCapSystem,
  TOPIC,
} from '../support/cap-system.ts';
import { createIsolatedEnv, type IsolatedEnv, management } from '../support/isolated-env.ts';
import { startTestRecon } from '../support/recon-harness.ts';
import { spawnRecon } from '../support/recon-process.ts';
import { ADMIN_AUTH, addUser } from '../support/users.ts';
import { waitFor } from '../support/wait-for.ts';

// DotNetCore.CAP's flow, run from examples/cap/recon.yaml as a user would: CAP's tables built from the example's
// DDL, a few hundred consistent orders, every inconsistency this flow can have planted among decoys, and each
// repair run end to end on 19-digit snowflake ids referenced from a varchar column. Grace is ten minutes, so the
// young rows stay young for the whole file; the old ones are 30 minutes to 2 hours old in China Standard Time,
// which read as UTC would lie hours in the future.

/** Every open finding, by kind, through the API (of an in-process Recon, or of a Recon process at its URL). */
async function openFindingsByKind(recon: Recon | string): Promise<Record<string, string[]>> {
  const get = async (path: string) => {
    if (typeof recon !== 'string') return getJson(recon, path);
    const response = await fetch(`${recon}${path}`, { headers: { authorization: ADMIN_AUTH } });
    if (response.status !== 200) throw new Error(`GET ${path} → ${response.status}`);
    return response.json() as Promise<{ items: unknown[]; nextCursor: string | null }>;
  };
  const byKind: Record<string, string[]> = {};
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ state: 'open', limit: '500', ...(cursor ? { cursor } : {}) });
    const page = await get(`/api/findings?${query}`);
    for (const { kind, key } of page.items as Array<{ kind: string; key: string }>) {
      byKind[kind] = [...(byKind[kind] ?? []), key];
    }
    cursor = page.nextCursor;
  } while (cursor);
  for (const keys of Object.values(byKind)) keys.sort();
  return byKind;
}

describe('the CAP preset on examples/cap', () => {
  let env: IsolatedEnv;
  let pools: { orders: pg.Pool; dispatch: pg.Pool };
  let broker: amqp.ChannelModel;
  let recon: Recon;
  let operator: string;
  let deadLetterKey: string;
  let expected: Record<string, string[]>;

  const liveDeliveries = async (n: number) =>
    (
      await pools.dispatch.query(
        `SELECT id FROM deliveries WHERE order_ref = $1 AND state <> 'CANCELLED' ORDER BY id`,
        [orderId(n)],
      )
    ).rows.map((r) => String(r.id));
  const statusOf = async (n: number) =>
    (await pools.orders.query(`SELECT "StatusName" FROM "cap"."published" WHERE "Id" = $1`, [messageId(n)])).rows[0]
      ?.StatusName;
  const judgeNow = async () => {
    await recon.scheduler.runCycle();
    return recon.scheduler.runSweep();
  };

  beforeAll(async () => {
    env = await createIsolatedEnv('preset_cap');
    pools = {
      orders: new pg.Pool({ connectionString: env.ordersDatabaseUrl, max: 3 }),
      dispatch: new pg.Pool({ connectionString: env.dispatchDatabaseUrl, max: 3 }),
    };
    await createCapSchema(pools);
    await seedCapSystem(pools);
    broker = await amqp.connect(env.rabbitmqUrl);
    await plantDeadLetter(env, broker);
    recon = await startTestRecon(env, {
      RECON_CONFIG: CAP_CONFIG,
      RABBITMQ_MANAGEMENT_URL: env.managementUrl,
      RECON_GRACE_SECONDS: '600',
      // The changed-rows window closes at now - grace: a fix is seen by the re-check of open findings.
      RECON_RECHECK_INTERVAL_SECONDS: '2',
      RECON_SWEEP_INTERVAL_SECONDS: '2',
    });
    operator = await addUser(env, 'chen', 'operator');
  });
  afterAll(async () => {
    await recon?.stop();
    await broker?.close();
    await Promise.all(Object.values(pools ?? {}).map((pool) => pool.end()));
    await env?.destroy();
  });

  it('finds exactly the planted inconsistencies, none of the decoys, after a full sweep and cycles', async () => {
    const sweep = await judgeNow();
    expect(sweep).toMatchObject({ complete: true, malformedReferences: 1 });
    await waitFor('the dead letter in custody', async () => (await openFindingsByKind(recon))['dead-letter']);
    await recon.scheduler.runCycle();
    const found = await openFindingsByKind(recon);
    deadLetterKey = found['dead-letter']?.[0] ?? '';
    // CAP sets no AMQP message-id: the letter is keyed by the cap-msg-id header, the id its outbox row has.
    expect(deadLetterKey).toBe(messageId(N.deadLettered));
    expected = { ...EXPECTED_DATABASE_FINDINGS, 'dead-letter': [deadLetterKey] };
    expect(found).toEqual(expected);

    const letter = await getJson(recon, `/api/findings/${encodeURIComponent(`dead-letter:${deadLetterKey}`)}`);
    expect(letter.evidence).toMatchObject({
      orderId: orderId(N.deadLettered),
      queue: DLQ,
      reason: 'rejected',
      originExchange: EXCHANGE,
      originRoutingKeys: [TOPIC],
    });
    const failed = await getJson(recon, `/api/findings/${encodeURIComponent(`stuck-outbox:${messageId(N.failed)}`)}`);
    expect(failed.evidence).toMatchObject({ orderId: orderId(N.failed), hasFailed: true, attempts: 50 });
  });

  it('offers only the repairs this flow can do: no make-up-order without an order snapshot', async () => {
    const orphan = await getJson(
      recon,
      `/api/findings/${encodeURIComponent(`dispatch-without-order:${orderId(N.orphan)}`)}`,
    );
    expect(orphan.actions).toEqual(['cancel-dispatch']);
  });

  it("answers an order's timeline by its 19-digit id, with the order, its CAP row and its delivery", async () => {
    const timeline = await getJson(recon, `/api/orders/${orderId(N.stuck)}/timeline`);
    expect(timeline.orderId).toBe(orderId(N.stuck));
    // CAP's inbox (cap.received, the message id inside its JSON) is read too, without failing the timeline.
    expect(timeline.unavailable).toEqual([]);
    expect(String(timeline.order.Id)).toBe(orderId(N.stuck));
    expect(timeline.outbox.map((row: { Id: unknown }) => String(row.Id))).toEqual([messageId(N.stuck)]);
    expect(timeline.findings.map((f: { kind: string }) => f.kind).sort()).toEqual([
      'order-without-dispatch',
      'stuck-outbox',
    ]);
    const response = await readApi(recon, `/api/orders/${orderId(N.duplicate)}/timeline`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { dispatches: unknown[] }).dispatches).toHaveLength(2);
  });

  it('resolves what is fixed by hand, and keeps the rest open', async () => {
    await pools.dispatch.query(`INSERT INTO deliveries (order_ref, state) VALUES ($1, 'ASSIGNED')`, [
      orderId(N.missing),
    ]);
    await pools.dispatch.query('DELETE FROM deliveries WHERE order_ref = $1', [orderId(N.orphan)]);
    await pools.dispatch.query(`DELETE FROM deliveries WHERE order_ref = 'TEST-1'`);
    await pools.orders.query(`UPDATE "cap"."published" SET "StatusName" = 'Succeeded' WHERE "Id" = $1`, [
      messageId(N.failed),
    ]);
    await judgeNow();
    await waitForFindingState(recon, 'order-without-dispatch', orderId(N.missing), 'resolved');
    await waitForFindingState(recon, 'dispatch-without-order', orderId(N.orphan), 'resolved');
    await waitForFindingState(recon, 'malformed-order-reference', 'TEST-1', 'resolved');
    await waitForFindingState(recon, 'stuck-outbox', messageId(N.failed), 'resolved');
    expected = {
      ...expected,
      'order-without-dispatch': [orderId(N.redeliver), orderId(N.stuck)].sort(),
      'stuck-outbox': [messageId(N.stuck)],
    };
    delete expected['dispatch-without-order'];
    delete expected['malformed-order-reference'];
    expect(await openFindingsByKind(recon)).toEqual(expected);
  });

  describe('repairs, end to end, with the delivery service running as CAP runs it', () => {
    let deliveryService: Awaited<ReturnType<typeof startCapDeliveryService>>;
    beforeAll(async () => {
      deliveryService = await startCapDeliveryService(env.rabbitmqUrl, pools.dispatch);
    });
    afterAll(async () => {
      await deliveryService?.stop();
    });

    it('redeliver: the delivery service takes the message, makes the delivery and records it in its inbox', async () => {
      const reply = await act(recon, operator, `order-without-dispatch:${orderId(N.redeliver)}`, {
        action: 'redeliver',
      });
      expect(reply.status).toBe(201);
      expect(reply.json).toMatchObject({ status: 'done', action: 'redeliver' });
      await waitForFindingState(recon, 'order-without-dispatch', orderId(N.redeliver), 'resolved');
      expect(await liveDeliveries(N.redeliver)).toHaveLength(1);
      expect(deliveryService.handled).toEqual([
        expect.objectContaining({
          outcome: 'delivered',
          headers: expect.objectContaining({ 'cap-msg-id': reply.json.messageId, 'cap-msg-name': TOPIC }),
        }),
      ]);
      const { rows } = await pools.dispatch.query(
        `SELECT "StatusName" FROM "cap"."received" WHERE "Content" LIKE '%' || $1 || '%'`,
        [reply.json.messageId],
      );
      expect(rows).toEqual([{ StatusName: 'Succeeded' }]);
    });

    it('republish: the Scheduled row goes to the exchange and routing key of message:, as CAP sends it, and is marked Succeeded', async () => {
      const channel = await broker.createChannel();
      const { queue } = await channel.assertQueue('', { exclusive: true });
      await channel.bindQueue(queue, EXCHANGE, TOPIC);

      const reply = await act(recon, operator, `stuck-outbox:${messageId(N.stuck)}`, { action: 'republish' });
      expect(reply.json).toMatchObject({ status: 'done', action: 'republish' });
      const sent = await waitFor(
        'the republished message',
        async () => (await channel.get(queue, { noAck: true })) || undefined,
      );
      await channel.close();
      expect(sent.fields).toMatchObject({ exchange: EXCHANGE, routingKey: TOPIC });
      // CAP's transport sends the row's Value as the body and its Headers as the AMQP headers.
      expect(sent.content.toString()).toBe(orderCreatedValue(N.stuck));
      expect(sent.properties.headers).toMatchObject({ 'cap-msg-id': messageId(N.stuck), 'cap-msg-name': TOPIC });
      expect(await statusOf(N.stuck)).toBe('Succeeded');
      await waitForFindingState(recon, 'stuck-outbox', messageId(N.stuck), 'resolved');
      // The delivery service took the same message: the order has its delivery now.
      await waitForFindingState(recon, 'order-without-dispatch', orderId(N.stuck), 'resolved');
      expect(await liveDeliveries(N.stuck)).toHaveLength(1);
    });

    it('cancel-dispatch: the newer of two live deliveries is cancelled, the oldest kept', async () => {
      const [kept] = await liveDeliveries(N.duplicate);
      const reply = await act(recon, operator, `duplicate-dispatch:${orderId(N.duplicate)}`, {
        action: 'cancel-dispatch',
      });
      expect(reply.json).toMatchObject({ status: 'done', action: 'cancel-dispatch' });
      await waitForFindingState(recon, 'duplicate-dispatch', orderId(N.duplicate), 'resolved');
      expect(await liveDeliveries(N.duplicate)).toEqual([kept]);
    });

    it('leaves only the dead letter open', async () => {
      await judgeNow();
      expect(await openFindingsByKind(recon)).toEqual({ 'dead-letter': [deadLetterKey] });
      expect(deliveryService.handled.map((m) => m.outcome)).toEqual(['delivered', 'delivered']);
    });
  });
});

/**
 * CAP's queue gets its dead-letter exchange from a policy (CAP declares its queues without one); a copy of order
 * N.deadLettered's message, as CAP's transport publishes it (Value as the body, headers, no AMQP message id), is
 * rejected by the broker's consumer and dead-lettered for real, with x-death.
 */
async function plantDeadLetter(env: IsolatedEnv, connection: amqp.ChannelModel) {
  const channel = await connection.createConfirmChannel();
  await declareCapBroker(channel);
  const vhost = encodeURIComponent(env.vhost);
  await management('PUT', `/api/policies/${vhost}/delivery-dead-letters`, {
    pattern: `^${GROUP.replace('.', '\\.')}$`,
    definition: { 'dead-letter-exchange': '', 'dead-letter-routing-key': DLQ },
    'apply-to': 'queues',
  });
  await waitFor('the policy on the queue', async () => {
    const queue = (await management('GET', `/api/queues/${vhost}/${GROUP}`)) as { policy?: string };
    return queue.policy === 'delivery-dead-letters';
  });
  const id = messageId(N.deadLettered);
  channel.publish(EXCHANGE, TOPIC, Buffer.from(orderCreatedValue(N.deadLettered)), {
    persistent: true,
    headers: capHeaders(id, TOPIC, 'OrderCreated'),
  });
  await channel.waitForConfirms();
  const message = await waitFor('the message in the queue', async () => (await channel.get(GROUP)) || undefined);
  channel.nack(message, false, false);
  await waitFor('the dead letter', async () => (await channel.checkQueue(DLQ)).messageCount === 1);
  await channel.close();
}

/** What CAP declares (its exchange, the group's queue bound by topic) and the team's dead-letter queue. */
async function declareCapBroker(channel: amqp.Channel) {
  await channel.assertExchange(EXCHANGE, 'topic', { durable: true });
  await channel.assertQueue(GROUP, { durable: true });
  await channel.bindQueue(GROUP, EXCHANGE, TOPIC);
  await channel.assertQueue(DLQ, { durable: true });
}

// No result may depend on the Recon process's own TZ: the same system, judged by Recon processes running in UTC and
// in Los Angeles (sixteen hours behind the CAP hosts' local times), each with a fresh Recon database.
describe('the CAP flow judged under two process time zones', () => {
  let env: IsolatedEnv;
  let secondReconDatabase: { url: string; drop(): Promise<void> };

  beforeAll(async () => {
    env = await createIsolatedEnv('preset_cap_tz');
    const pools = {
      orders: new pg.Pool({ connectionString: env.ordersDatabaseUrl, max: 2 }),
      dispatch: new pg.Pool({ connectionString: env.dispatchDatabaseUrl, max: 2 }),
    };
    await createCapSchema(pools);
    await seedCapSystem(pools);
    await Promise.all([pools.orders.end(), pools.dispatch.end()]);
    const broker = await amqp.connect(env.rabbitmqUrl);
    await declareCapBroker(await broker.createChannel());
    await broker.close();
    secondReconDatabase = await createDatabaseBeside(env.reconDatabaseUrl, `${env.name}_recon_tz`);
  });
  afterAll(async () => {
    await secondReconDatabase?.drop();
    await env?.destroy();
  });

  it.each([
    ['UTC', () => env.reconDatabaseUrl],
    ['America/Los_Angeles', () => secondReconDatabase.url],
  ])('finds exactly the planted inconsistencies with TZ=%s', async (tz, reconDatabaseUrl) => {
    const recon = await spawnRecon(env, {
      TZ: tz,
      RECON_CONFIG: CAP_CONFIG,
      RECON_DATABASE_URL: reconDatabaseUrl(),
      RABBITMQ_MANAGEMENT_URL: env.managementUrl,
      RECON_GRACE_SECONDS: '600',
    });
    try {
      // The first cycle reads every row; the verdicts must hold through the full sweeps (every 2 s) that follow.
      let since: number | null = null;
      await waitFor(
        'the exact findings, unchanged over two sweeps',
        async () => {
          const isExpected = isEqual(await openFindingsByKind(recon.url), EXPECTED_DATABASE_FINDINGS);
          since = isExpected ? (since ?? Date.now()) : null;
          return since !== null && Date.now() - since > 5_000;
        },
        { timeoutMs: 45_000 },
      ).catch(() => {});
      expect(await openFindingsByKind(recon.url)).toEqual(EXPECTED_DATABASE_FINDINGS);
    } finally {
      await recon.stop();
    }
  });
});

const isEqual = (a: Record<string, string[]>, b: Record<string, string[]>) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/** Another database on the same server as `url`, for a second Recon that must start from nothing. */
async function createDatabaseBeside(url: string, name: string) {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const created = new URL(url);
  created.pathname = `/${name}`;
  return {
    url: created.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}
