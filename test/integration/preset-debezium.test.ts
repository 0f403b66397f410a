import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import amqp, { type ChannelModel } from 'amqplib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recon } from '../../server/recon.ts';
import { act, getJson, readApi, waitForFindingState } from '../support/actions.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { startTestRecon } from '../support/recon-harness.ts';
import { addUser } from '../support/users.ts';
import { waitFor } from '../support/wait-for.ts';

// examples/debezium run as a user would: Debezium's documented outboxevent table, a text-keyed orders table, a
// deliveries table referencing it from varchar, Recon started from the example's recon.yaml. The order service
// inserts each OrderCreated event and deletes it in the same transaction, as Debezium's Quarkus extension does
// (removeAfterInsert), so the table is always empty: what is not yet published is the connector's slot lag.
//
// This PostgreSQL runs with wal_level=replica, where no logical slot can be created (Debezium's needs
// wal_level=logical). The connector's slot is therefore a physical one, reserved at once: its lag is the same WAL
// distance Recon reads from pg_replication_slots, it grows as WAL is written and a connector catching up is
// pg_replication_slot_advance. With wal_level=logical the test uses a logical slot instead.

const EXAMPLE = new URL('../../examples/debezium/', import.meta.url);
const sql = (file: string) => readFileSync(new URL(file, EXAMPLE), 'utf8');
const MAX_LAG_BYTES = 16_777_216; // recon.yaml's maxLagBytes
const EXCHANGE = 'outbox.events';
const ROUTING_KEY = 'outbox.event.Order';
const QUEUE = 'dispatch.order-created';
const DLQ = 'dispatch.order-created.dlq';
const ORDERS = 300;
/** Every planted row is this old: far past the grace period, so no verdict waits on the clock. */
const BASE = Date.now() - 2 * 3_600_000;

const orderId = (n: number) => `ORD-${String(n).padStart(6, '0')}`;
const at = (n: number, seconds = 0) => new Date(BASE + n * 10_000 + seconds * 1000);
const payloadOf = (n: number) => ({
  id: orderId(n),
  customerId: `CUST-${n % 37}`,
  totalCents: 1_000 + n,
  createdAt: at(n % 1000).toISOString(),
});

// The planted faults, and the decoys that must stay quiet.
const NO_DELIVERY = 17; // fixed by hand: the missing delivery is inserted
const ONLY_CANCELLED_DELIVERY = 42; // repaired by redeliver
const DUPLICATED = [77, 88]; // 77 repaired by cancel-dispatch; 88 stays open
const DUPLICATE_DECOY = 99; // a second delivery, cancelled
const CANCELLED_ORDERS = [10, 20, 60]; // no delivery: they need none
const CANCELLED_WITH_CANCELLED_DELIVERY = 30;
const ORPHANS = [900_001, 900_002, 900_003]; // no order: 900001 deleted by hand, 900002 made up, 900003 stays open
const CANCELLED_ORPHAN = 900_010; // a cancelled delivery of no order: no finding
const TIMELINE_ORDER = 123;

interface FindingItem {
  kind: string;
  key: string;
  state: string;
  actions: string[];
}

describe('preset debezium: examples/debezium on text order ids', () => {
  let env: IsolatedEnv;
  let recon: Recon;
  let operator: string;
  let ordersDb: pg.Pool;
  let dispatchDb: pg.Pool;
  let broker: ChannelModel;
  let slot: string;
  let slotKind: 'physical' | 'logical';
  let connector: ReturnType<typeof startConnector> | undefined;
  let deadLetterId: string;

  beforeAll(async () => {
    env = await createIsolatedEnv('preset_dbz');
    ordersDb = new pg.Pool({ connectionString: env.ordersDatabaseUrl, max: 4 });
    dispatchDb = new pg.Pool({ connectionString: env.dispatchDatabaseUrl, max: 4 });
    await ordersDb.query(sql('orders.sql'));
    await ordersDb.query(sql('outboxevent.sql'));
    await dispatchDb.query(sql('deliveries.sql'));

    // Slots are cluster-wide: a name of this run's own, dropped in afterAll.
    slot = `recon_dbz_${randomBytes(4).toString('hex')}`;
    const { rows } = await ordersDb.query<{ wal_level: string }>('SHOW wal_level');
    slotKind = rows[0]?.wal_level === 'logical' ? 'logical' : 'physical';
    await ordersDb.query(
      slotKind === 'logical'
        ? `SELECT pg_create_logical_replication_slot($1, 'test_decoding')`
        : 'SELECT pg_create_physical_replication_slot($1, true)',
      [slot],
    );

    await seed();
    broker = await amqp.connect(env.rabbitmqUrl);
    await declareTopology(broker);
    await startDispatchService(broker);
    deadLetterId = await publishPoison(broker);
    // The connector is down while the order service keeps writing: the slot falls behind.
    await writeWalUntilLagExceeds(1.5 * MAX_LAG_BYTES);

    recon = await startTestRecon(env, {
      RECON_CONFIG: new URL('recon.yaml', EXAMPLE).pathname,
      RABBITMQ_MANAGEMENT_URL: env.managementUrl,
      DEBEZIUM_SLOT: slot,
      RECON_SWEEP_INTERVAL_SECONDS: '2',
      // A deleted row changes no row a cycle reads: its finding resolves when the open findings are re-judged.
      RECON_RECHECK_INTERVAL_SECONDS: '2',
    });
    operator = await addUser(env, 'dora', 'operator');
  }, 120_000);

  afterAll(async () => {
    await connector?.stop();
    await recon?.stop();
    await broker?.close().catch(() => {});
    await ordersDb
      ?.query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1', [slot])
      .catch(() => {});
    await Promise.all([ordersDb?.end(), dispatchDb?.end()]);
    await env?.destroy();
  });

  it('reports exactly the planted faults, and nothing for the decoys', async () => {
    await expectOpen({
      'order-without-dispatch': [orderId(NO_DELIVERY), orderId(ONLY_CANCELLED_DELIVERY)],
      'dispatch-without-order': ORPHANS.map(orderId),
      'duplicate-dispatch': DUPLICATED.map(orderId),
      'malformed-order-reference': [''],
      'outbox-slot-lag': [slot],
      'dead-letter': [deadLetterId],
    });
    const lag = await getJson(recon, `/api/findings/${encodeURIComponent(`outbox-slot-lag:${slot}`)}`);
    expect(lag.evidence).toMatchObject({ slot, exists: true, isActive: false, maxLagBytes: MAX_LAG_BYTES });
    expect(lag.evidence.lagBytes).toBeGreaterThan(MAX_LAG_BYTES);
    const malformed = await getJson(recon, `/api/findings/${encodeURIComponent('malformed-order-reference:')}`);
    expect(malformed.evidence).toMatchObject({ reference: '', problem: 'it is empty', liveDispatches: 1 });
    const letter = await getJson(recon, `/api/findings/${encodeURIComponent(`dead-letter:${deadLetterId}`)}`);
    expect(letter.evidence).toMatchObject({ orderId: orderId(200), queue: DLQ, reason: 'rejected' });
  });

  it('resolves what is fixed by hand and keeps the rest open', async () => {
    connector = startConnector();
    await dispatchDb.query(
      `INSERT INTO deliveries (order_ref, status, courier, order_snapshot, created_at, updated_at)
       VALUES ($1, 'ASSIGNED', 'courier-3', $2, now(), now())`,
      [orderId(NO_DELIVERY), payloadOf(NO_DELIVERY)],
    );
    await dispatchDb.query('DELETE FROM deliveries WHERE order_ref = $1', [orderId(ORPHANS[0]!)]);

    await waitForFindingState(recon, 'outbox-slot-lag', slot, 'resolved');
    await waitForFindingState(recon, 'order-without-dispatch', orderId(NO_DELIVERY), 'resolved');
    await waitForFindingState(recon, 'dispatch-without-order', orderId(ORPHANS[0]!), 'resolved');
    await expectOpen({
      'order-without-dispatch': [orderId(ONLY_CANCELLED_DELIVERY)],
      'dispatch-without-order': [orderId(ORPHANS[1]!), orderId(ORPHANS[2]!)],
      'duplicate-dispatch': DUPLICATED.map(orderId),
      'malformed-order-reference': [''],
      'dead-letter': [deadLetterId],
    });
  });

  it('make-up-order rebuilds the lost order from its delivery snapshot, under its text id', async () => {
    const id = orderId(ORPHANS[1]!);
    const reply = await act(recon, operator, `dispatch-without-order:${id}`, { action: 'make-up-order' });
    expect(reply.json).toMatchObject({ status: 'done' });
    const { rows } = await ordersDb.query(
      'SELECT id, customer_id, total_cents, status, created_at FROM orders WHERE id = $1',
      [id],
    );
    const snapshot = payloadOf(ORPHANS[1]!);
    expect(rows).toEqual([
      {
        id,
        customer_id: snapshot.customerId,
        total_cents: snapshot.totalCents,
        status: 'RESTORED',
        created_at: new Date(snapshot.createdAt),
      },
    ]);
    await waitForFindingState(recon, 'dispatch-without-order', id, 'resolved');
  });

  it('cancel-dispatch keeps the oldest of duplicate deliveries and cancels the other', async () => {
    const id = orderId(DUPLICATED[0]!);
    const { rows: before } = await dispatchDb.query<{ id: string; status: string }>(
      'SELECT id, status FROM deliveries WHERE order_ref = $1 ORDER BY created_at, id',
      [id],
    );
    expect(before.map((d) => d.status)).not.toContain('CANCELLED');
    const reply = await act(recon, operator, `duplicate-dispatch:${id}`, { action: 'cancel-dispatch' });
    expect(reply.json).toMatchObject({ status: 'done' });
    const { rows: after } = await dispatchDb.query<{ id: string; status: string }>(
      'SELECT id, status FROM deliveries WHERE order_ref = $1 ORDER BY created_at, id',
      [id],
    );
    expect(after).toEqual([before[0], { id: before[1]!.id, status: 'CANCELLED' }]);
    await waitForFindingState(recon, 'duplicate-dispatch', id, 'resolved');
  });

  it('redeliver publishes the order again and the dispatch service makes its delivery', async () => {
    const id = orderId(ONLY_CANCELLED_DELIVERY);
    const reply = await act(recon, operator, `order-without-dispatch:${id}`, { action: 'redeliver' });
    expect(reply.json).toMatchObject({ status: 'done' });
    await waitForFindingState(recon, 'order-without-dispatch', id, 'resolved');
    const { rows } = await dispatchDb.query(
      `SELECT order_snapshot FROM deliveries WHERE order_ref = $1 AND status <> 'CANCELLED'`,
      [id],
    );
    expect(rows).toEqual([{ order_snapshot: payloadOf(ONLY_CANCELLED_DELIVERY) }]);
  });

  it('offers no republish: a Debezium outbox has no row to send again', async () => {
    const sources = await getJson(recon, '/api/sources');
    expect(sources.features).toContainEqual({
      feature: 'republish',
      isOn: false,
      detail: expect.stringContaining("Debezium's rows are deleted in the transaction that inserts them"),
    });
    const all = await allFindings();
    expect(all.length).toBeGreaterThan(0);
    expect(all.filter((f) => f.actions.includes('republish'))).toEqual([]);
    const refused = await act(recon, operator, `duplicate-dispatch:${orderId(DUPLICATED[1]!)}`, {
      action: 'republish',
    });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
  });

  it('leaves open only what no repair touched', async () => {
    await expectOpen({
      'dispatch-without-order': [orderId(ORPHANS[2]!)],
      'duplicate-dispatch': [orderId(DUPLICATED[1]!)],
      'malformed-order-reference': [''],
      'dead-letter': [deadLetterId],
    });
  });

  it('answers the timeline of a text order id', async () => {
    const id = orderId(TIMELINE_ORDER);
    const response = await readApi(recon, `/api/orders/${id}/timeline`);
    expect(response.status).toBe(200);
    const timeline = (await response.json()) as { dispatches: Array<{ order_ref: string }> };
    expect(timeline).toMatchObject({ orderId: id, order: { id, status: 'PAID' }, outbox: [], unavailable: [] });
    expect(timeline.dispatches.map((d) => d.order_ref)).toEqual([id]);
  });

  it('says so when the connector slot does not exist', async () => {
    await connector?.stop();
    connector = undefined;
    await ordersDb.query('SELECT pg_drop_replication_slot($1)', [slot]);
    await waitForFindingState(recon, 'outbox-slot-lag', slot, 'open');
    const finding = await getJson(recon, `/api/findings/${encodeURIComponent(`outbox-slot-lag:${slot}`)}`);
    expect(finding.evidence).toMatchObject({ slot, exists: false });
    expect(finding.explanation).toBe(
      `Replication slot ${slot} does not exist: no connector reads the outbox, so its messages are not going out.`,
    );
  });

  /** The order service: each order with its OrderCreated event inserted and deleted in one transaction. */
  async function seed() {
    const client = await ordersDb.connect();
    try {
      for (let n = 1; n <= ORDERS; n++) {
        const status = CANCELLED_ORDERS.includes(n) || n === CANCELLED_WITH_CANCELLED_DELIVERY ? 'CANCELLED' : 'PAID';
        const payload = payloadOf(n);
        await client.query('BEGIN');
        await client.query(
          `INSERT INTO orders (id, customer_id, total_cents, status, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [payload.id, payload.customerId, payload.totalCents, status, at(n), at(n, status === 'PAID' ? 0 : 30)],
        );
        await placeEvent(client, 'Order', payload.id, 'OrderCreated', payload);
        // Another aggregate's events share the table and the slot: not this flow's.
        if (n % 10 === 0)
          await placeEvent(client, 'Customer', payload.customerId, 'CustomerUpdated', { id: payload.customerId });
        await client.query('COMMIT');
      }
    } finally {
      client.release();
    }
    const deliveries: Array<[string, string, unknown, Date]> = [];
    for (let n = 1; n <= ORDERS; n++) {
      if (n === NO_DELIVERY || CANCELLED_ORDERS.includes(n)) continue;
      const cancelled = n === ONLY_CANCELLED_DELIVERY || n === CANCELLED_WITH_CANCELLED_DELIVERY;
      deliveries.push([orderId(n), cancelled ? 'CANCELLED' : n % 3 ? 'DELIVERED' : 'ASSIGNED', payloadOf(n), at(n, 2)]);
      if (DUPLICATED.includes(n)) deliveries.push([orderId(n), 'ASSIGNED', payloadOf(n), at(n, 4)]);
      if (n === DUPLICATE_DECOY) deliveries.push([orderId(n), 'CANCELLED', payloadOf(n), at(n, 4)]);
    }
    for (const n of ORPHANS) deliveries.push([orderId(n), 'ASSIGNED', payloadOf(n), at(n % 1000, 5)]);
    deliveries.push([orderId(CANCELLED_ORPHAN), 'CANCELLED', payloadOf(CANCELLED_ORPHAN), at(1, 5)]);
    // An empty reference is the only text that can never be an order id (orders.sql checks id <> ''): any other
    // text, 'TEST-1' included, could name an order and is judged as one. Its cancelled twin does not count.
    deliveries.push(['', 'ASSIGNED', { id: '' }, at(5, 5)], ['', 'CANCELLED', { id: '' }, at(6, 5)]);
    await dispatchDb.query(
      `INSERT INTO deliveries (order_ref, status, courier, order_snapshot, created_at, updated_at)
       SELECT r, s, 'courier-' || (i % 7), o, c, c
       FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::timestamptz[]) WITH ORDINALITY AS t(r, s, o, c, i)`,
      [
        deliveries.map((d) => d[0]),
        deliveries.map((d) => d[1]),
        deliveries.map((d) => JSON.stringify(d[2])),
        deliveries.map((d) => d[3]),
      ],
    );
  }

  async function placeEvent(client: pg.PoolClient, type: string, aggregate: string, event: string, payload: unknown) {
    const id = randomUUID();
    await client.query(
      'INSERT INTO outboxevent (id, aggregatetype, aggregateid, type, payload) VALUES ($1, $2, $3, $4, $5)',
      [id, type, aggregate, event, payload],
    );
    await client.query('DELETE FROM outboxevent WHERE id = $1', [id]);
  }

  /** Customer events with large payloads, inserted and deleted, until the stopped connector's slot is this far behind. */
  async function writeWalUntilLagExceeds(bytes: number) {
    for (let batch = 0; (await slotLag()) <= bytes; batch++) {
      if (batch > 200) throw new Error(`slot ${slot} is still ${await slotLag()} bytes behind after 200 batches`);
      await ordersDb.query(`
        BEGIN;
        WITH e AS (
          INSERT INTO outboxevent (id, aggregatetype, aggregateid, type, payload)
          SELECT gen_random_uuid(), 'Customer', 'CUST-' || g, 'CustomerUpdated',
            jsonb_build_object('notes', (SELECT string_agg(md5(random()::text || g || s), '') FROM generate_series(1, 64) s))
          FROM generate_series(1, 1000) g RETURNING id)
        DELETE FROM outboxevent WHERE id IN (SELECT id FROM e);
        COMMIT;`);
    }
  }

  async function slotLag(): Promise<number> {
    const { rows } = await ordersDb.query<{ lag: number }>(
      `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), coalesce(confirmed_flush_lsn, restart_lsn))::float8 AS lag
       FROM pg_replication_slots WHERE slot_name = $1`,
      [slot],
    );
    return rows[0]?.lag ?? 0;
  }

  /**
   * The connector back at work: it confirms the WAL as fast as it is written. It keeps doing so (WAL is
   * cluster-wide, and other tests write plenty), as a live connector would.
   */
  function startConnector() {
    let isStopped = false;
    const loop = (async () => {
      while (!isStopped) {
        await ordersDb.query('SELECT pg_replication_slot_advance($1, pg_current_wal_lsn())', [slot]);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    return {
      async stop() {
        isStopped = true;
        await loop;
      },
    };
  }

  async function declareTopology(connection: ChannelModel) {
    const channel = await connection.createChannel();
    await channel.assertExchange(EXCHANGE, 'topic', { durable: true });
    await channel.assertQueue(DLQ, { durable: true });
    await channel.assertQueue(QUEUE, {
      durable: true,
      arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': DLQ },
    });
    await channel.bindQueue(QUEUE, EXCHANGE, ROUTING_KEY);
    await channel.close();
  }

  /** The delivery service: a delivery per OrderCreated payload; a payload it cannot read is rejected (to the DLQ). */
  async function startDispatchService(connection: ChannelModel) {
    const channel = await connection.createChannel();
    await channel.prefetch(10);
    await channel.consume(QUEUE, async (message) => {
      if (!message) return;
      let payload: ReturnType<typeof payloadOf> | undefined;
      try {
        payload = JSON.parse(message.content.toString());
      } catch {}
      if (!payload || typeof payload.id !== 'string' || !payload.id || typeof payload.totalCents !== 'number') {
        channel.nack(message, false, false);
        return;
      }
      await dispatchDb.query(
        `INSERT INTO deliveries (order_ref, status, courier, order_snapshot) VALUES ($1, 'ASSIGNED', 'courier-1', $2)`,
        [payload.id, payload],
      );
      channel.ack(message);
    });
  }

  /** An OrderCreated for an existing order with a payload the delivery service cannot read. */
  async function publishPoison(connection: ChannelModel): Promise<string> {
    const channel = await connection.createConfirmChannel();
    const messageId = randomUUID();
    const body = { ...payloadOf(200), totalCents: 'twelve euros' };
    channel.publish(EXCHANGE, ROUTING_KEY, Buffer.from(JSON.stringify(body)), {
      messageId,
      contentType: 'application/json',
      persistent: true,
    });
    await channel.waitForConfirms();
    await channel.close();
    return messageId;
  }

  async function allFindings(): Promise<FindingItem[]> {
    const items: FindingItem[] = [];
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ state: 'all', limit: '500', ...(cursor ? { cursor } : {}) });
      const page = await getJson(recon, `/api/findings?${query}`);
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }

  /** Open findings as kind → sorted keys, once they are exactly `expected` (the last difference if never). */
  async function expectOpen(expected: Record<string, string[]>) {
    const read = async () => {
      const open: Record<string, string[]> = {};
      for (const f of (await allFindings()).filter((f) => f.state === 'open')) {
        open[f.kind] = [...(open[f.kind] ?? []), f.key];
      }
      for (const keys of Object.values(open)) keys.sort();
      return open;
    };
    const sorted = Object.fromEntries(Object.entries(expected).map(([kind, keys]) => [kind, [...keys].sort()]));
    await waitFor('the open findings', async () => {
      expect(await read()).toEqual(sorted);
      return true;
    });
  }
});
