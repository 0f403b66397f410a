import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

// A shop and a delivery service talking through DotNetCore.CAP, built from examples/cap/ (so the example cannot
// rot): CAP's own tables in both databases, snowflake order ids, a varchar order reference, local times written in
// China Standard Time. Rows are written as CAP and its users write them: "Content" is CAP's serialized Message
// ({"Headers":{…},"Value":{…}}, System.Text.Json, 19-digit ids as JSON numbers), "Added" is DateTime.Now.

const EXAMPLE = new URL('../../examples/cap/', import.meta.url);
export const CAP_CONFIG = fileURLToPath(new URL('recon.yaml', EXAMPLE));
export const CAP_ZONE = 'Asia/Shanghai';
export const EXCHANGE = 'cap.default.router';
export const TOPIC = 'order.created';
/** CAP's queue for the delivery service's subscriber group ("delivery", version v1). */
export const GROUP = 'delivery.v1';
export const DLQ = 'delivery.v1.dlq';

const exampleSql = (name: string) => readFileSync(new URL(name, EXAMPLE), 'utf8');

/** The example's DDL: CAP's tables in both databases (as each CAP service creates them), orders and deliveries. */
export async function createCapSchema(pools: { orders: pg.Pool; dispatch: pg.Pool }) {
  await pools.orders.query(exampleSql('cap.sql'));
  await pools.orders.query(exampleSql('orders.sql'));
  await pools.dispatch.query(exampleSql('cap.sql'));
  await pools.dispatch.query(exampleSql('deliveries.sql'));
}

const ORDER_BASE = 1_790_000_000_000_000_000n;
const MESSAGE_BASE = 1_791_000_000_000_000_000n;
const RECEIVED_BASE = 1_792_000_000_000_000_000n;
/** A 19-digit snowflake-like id; `n` names the row. */
export const orderId = (n: number) => String(ORDER_BASE + BigInt(n) * 4099n);
export const messageId = (n: number) => String(MESSAGE_BASE + BigInt(n) * 4099n);
const receivedId = (n: number) => String(RECEIVED_BASE + BigInt(n) * 4099n);

const CONSISTENT = 300;
/** The orders and rows planted among the consistent ones, by their number. */
export const N = {
  missing: 1001, // delivered message, delivery row lost: order-without-dispatch (fixed by hand)
  redeliver: 1002, // the same, repaired by redeliver
  stuck: 1003, // its message still Scheduled after 30 minutes: stuck-outbox and order-without-dispatch
  failed: 1004, // CAP gave up (Failed) a minute ago: stuck at once; the order itself is too young to judge
  young: 1005, // placed 5 s ago, message Scheduled: nothing yet
  duplicate: 1006, // two live deliveries: duplicate-dispatch
  cancelledDuplicate: 1007, // one live and one cancelled delivery: fine
  cancelled: 1008, // cancelled, no delivery: fine
  pickup: 1009, // picked up at the counter, no delivery: fine
  cancelledWithCancelledDelivery: 1010,
  deadLettered: 1011, // consistent; a copy of its message is dead-lettered
  orphan: 1012, // a live delivery of an order that does not exist: dispatch-without-order
  cancelledOrphan: 1013, // a cancelled delivery of an order that does not exist: fine
  retrying: 1014, // Failed once a minute ago: CAP retries it (Retries < FailedRetryCount), so not stuck yet
  delayed: 1015, // a pickup order whose message was published with a delay: Delayed until an hour from now, fine
  otherEvents: 1100, // rows of other CAP topics (order.paid, customer.registered): never this flow's
} as const;

interface OrderRow {
  n: number;
  status: string;
  fulfilment: 'DELIVERY' | 'PICKUP';
  agoSeconds: number;
}
interface PublishedRow {
  n: number;
  name: string;
  value: string;
  status: 'Succeeded' | 'Scheduled' | 'Failed' | 'Delayed';
  agoSeconds: number;
  retries?: number;
}
interface DeliveryRow {
  ref: string;
  state: string;
  agoSeconds: number;
}

const HOUR = 3600;

/** CAP's OrderCreated as System.Text.Json writes it: the 19-digit id a JSON number. */
export const orderCreatedValue = (n: number, fulfilment = 'DELIVERY') =>
  `{"OrderNo":${orderId(n)},"CustomerId":${1000 + (n % 37)},"Fulfilment":"${fulfilment}","PlacedAt":"2026-05-01T10:00:00+08:00"}`;

/** CAP's headers of a published message (ICapPublisher: id, correlation, name, .NET type, sent time). */
export const capHeaders = (id: string, name: string, type: string) => ({
  'cap-callback-name': null,
  'cap-msg-id': id,
  'cap-corr-id': id,
  'cap-corr-seq': '0',
  'cap-msg-name': name,
  'cap-msg-type': type,
  'cap-senttime': '2026/5/1 10:00:00 +08:00',
});

/** "Content" of a CAP row: the Message serialized, headers first, the value as its own JSON text. */
export const capContent = (headers: Record<string, string | null>, value: string) =>
  `{"Headers":${JSON.stringify(headers)},"Value":${value}}`;

/** Seeds a few hundred consistent orders and every planted case above. Times are relative to now. */
export async function seedCapSystem(pools: { orders: pg.Pool; dispatch: pg.Pool }) {
  const orders: OrderRow[] = [];
  const published: PublishedRow[] = [];
  const received: number[] = [];
  const deliveries: DeliveryRow[] = [];
  const consistent = (n: number, agoSeconds: number, status = 'PAID') => {
    orders.push({ n, status, fulfilment: 'DELIVERY', agoSeconds });
    published.push({ n, name: TOPIC, value: orderCreatedValue(n), status: 'Succeeded', agoSeconds });
    received.push(n);
    deliveries.push({ ref: orderId(n), state: n % 3 === 0 ? 'DELIVERED' : 'ASSIGNED', agoSeconds: agoSeconds - 2 });
  };
  for (let n = 1; n <= CONSISTENT; n++) consistent(n, 2 * HOUR - n * 10, n % 5 === 0 ? 'COMPLETED' : 'PAID');

  const withMessage = (
    n: number,
    agoSeconds: number,
    status: PublishedRow['status'],
    { retries = 50, ...extra }: Partial<OrderRow> & { retries?: number } = {},
  ) => {
    const order = { n, status: 'PAID', fulfilment: 'DELIVERY' as const, agoSeconds, ...extra };
    orders.push(order);
    published.push({
      n,
      name: TOPIC,
      value: orderCreatedValue(n, order.fulfilment),
      status,
      agoSeconds,
      retries: status === 'Failed' ? retries : 0,
    });
  };
  withMessage(N.missing, HOUR, 'Succeeded');
  received.push(N.missing);
  withMessage(N.redeliver, HOUR, 'Succeeded');
  withMessage(N.stuck, 30 * 60, 'Scheduled');
  withMessage(N.failed, 60, 'Failed');
  withMessage(N.retrying, 60, 'Failed', { retries: 1 });
  withMessage(N.delayed, HOUR, 'Delayed', { fulfilment: 'PICKUP' });
  withMessage(N.young, 5, 'Scheduled');
  consistent(N.duplicate, HOUR);
  deliveries.push({ ref: orderId(N.duplicate), state: 'ASSIGNED', agoSeconds: HOUR - 30 });
  consistent(N.cancelledDuplicate, HOUR);
  deliveries.push({ ref: orderId(N.cancelledDuplicate), state: 'CANCELLED', agoSeconds: HOUR - 30 });
  withMessage(N.cancelled, HOUR, 'Succeeded', { status: 'CANCELLED' });
  withMessage(N.pickup, HOUR, 'Succeeded', { fulfilment: 'PICKUP' });
  withMessage(N.cancelledWithCancelledDelivery, HOUR, 'Succeeded', { status: 'CANCELLED' });
  deliveries.push({ ref: orderId(N.cancelledWithCancelledDelivery), state: 'CANCELLED', agoSeconds: HOUR - 5 });
  consistent(N.deadLettered, HOUR);
  deliveries.push({ ref: orderId(N.orphan), state: 'ASSIGNED', agoSeconds: HOUR });
  deliveries.push({ ref: orderId(N.cancelledOrphan), state: 'CANCELLED', agoSeconds: HOUR });
  deliveries.push({ ref: 'TEST-1', state: 'ASSIGNED', agoSeconds: HOUR });
  deliveries.push({ ref: 'TEST-2', state: 'CANCELLED', agoSeconds: HOUR });

  // Other topics the shop publishes through the same table: old, failed and pending, none of them this flow's.
  for (let i = 0; i < 6; i++) {
    const n = N.otherEvents + i;
    const status = (['Failed', 'Scheduled', 'Succeeded'] as const)[i % 3]!;
    published.push(
      i < 3
        ? { n, name: 'order.paid', value: `{"OrderNo":${orderId(i + 1)},"Amount":12.5}`, status, agoSeconds: HOUR }
        : { n, name: 'customer.registered', value: `{"CustomerId":${2000 + i}}`, status, agoSeconds: HOUR },
    );
  }

  await insertOrders(pools.orders, orders);
  await insertPublished(pools.orders, published);
  await insertReceived(
    pools.dispatch,
    received.map((n) => published.find((p) => p.n === n && p.name === TOPIC)!),
  );
  await insertDeliveries(pools.dispatch, deliveries);
}

/** A local time of the CAP hosts, `ago` seconds before now, as DateTime.Now would have written it. */
const localAgo = (param: string) => `(now() AT TIME ZONE '${CAP_ZONE}') - make_interval(secs => ${param})`;

async function insertOrders(pool: pg.Pool, rows: OrderRow[]) {
  await pool.query(
    `INSERT INTO "Orders" ("Id", "CustomerId", "Status", "Fulfilment", "Total", "CreatedAt", "UpdatedAt")
     SELECT id, 1000 + id % 37, status, fulfilment, 10 + id % 90, ${localAgo('ago')}, ${localAgo('ago')}
     FROM unnest($1::bigint[], $2::text[], $3::text[], $4::float8[]) AS r(id, status, fulfilment, ago)`,
    [
      rows.map((r) => orderId(r.n)),
      rows.map((r) => r.status),
      rows.map((r) => r.fulfilment),
      rows.map((r) => r.agoSeconds),
    ],
  );
}

async function insertPublished(pool: pg.Pool, rows: PublishedRow[]) {
  const type = (name: string) =>
    name === TOPIC ? 'OrderCreated' : name === 'order.paid' ? 'OrderPaid' : 'CustomerRegistered';
  await pool.query(
    `INSERT INTO "cap"."published" ("Id", "Version", "Name", "Content", "Retries", "Added", "ExpiresAt", "StatusName")
     SELECT id, 'v1', name, content, retries, ${localAgo('ago')},
       CASE status WHEN 'Succeeded' THEN ${localAgo('ago')} + interval '1 day'
                   WHEN 'Failed' THEN ${localAgo('ago')} + interval '15 days'
                   WHEN 'Delayed' THEN ${localAgo('ago')} + interval '2 hours' END, status
     FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::float8[], $6::text[])
       AS r(id, name, content, retries, ago, status)`,
    [
      rows.map((r) => messageId(r.n)),
      rows.map((r) => r.name),
      rows.map((r) => capContent(capHeaders(messageId(r.n), r.name, type(r.name)), r.value)),
      rows.map((r) => r.retries ?? 0),
      rows.map((r) => r.agoSeconds),
      rows.map((r) => r.status),
    ],
  );
}

/** What CAP's consumer stores: the message's headers as the broker delivered them, plus its group. */
async function insertReceived(pool: pg.Pool, rows: PublishedRow[]) {
  await pool.query(
    `INSERT INTO "cap"."received" ("Id", "Version", "Name", "Group", "Content", "Retries", "Added", "ExpiresAt", "StatusName")
     SELECT id, 'v1', $3, $4, content, 0, ${localAgo('ago')}, ${localAgo('ago')} + interval '1 day', 'Succeeded'
     FROM unnest($1::bigint[], $2::text[], $5::float8[]) AS r(id, content, ago)`,
    [
      rows.map((r) => receivedId(r.n)),
      rows.map((r) =>
        capContent({ ...capHeaders(messageId(r.n), TOPIC, 'OrderCreated'), 'cap-msg-group': GROUP }, r.value),
      ),
      TOPIC,
      GROUP,
      rows.map((r) => r.agoSeconds - 1),
    ],
  );
}

async function insertDeliveries(pool: pg.Pool, rows: DeliveryRow[]) {
  await pool.query(
    `INSERT INTO deliveries (order_ref, state, courier, created_at, updated_at)
     SELECT ref, state, 'courier-' || (ordinality % 12), now() - make_interval(secs => ago), now() - make_interval(secs => ago)
     FROM unnest($1::text[], $2::text[], $3::float8[]) WITH ORDINALITY AS r(ref, state, ago, ordinality)`,
    [rows.map((r) => r.ref), rows.map((r) => r.state), rows.map((r) => r.agoSeconds)],
  );
}

/** The open findings the seeded system has, by kind (dead letters apart: their key is the broker's). */
export const EXPECTED_DATABASE_FINDINGS: Record<string, string[]> = {
  'order-without-dispatch': [orderId(N.missing), orderId(N.redeliver), orderId(N.stuck)].sort(),
  'dispatch-without-order': [orderId(N.orphan)],
  'duplicate-dispatch': [orderId(N.duplicate)],
  'stuck-outbox': [messageId(N.stuck), messageId(N.failed)].sort(),
  'malformed-order-reference': ['TEST-1'],
};
