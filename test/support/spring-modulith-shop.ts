import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type pg from 'pg';

// The shop of examples/spring-modulith: its SQL files loaded as a user would, and a few hundred orders written the
// way Spring Modulith's registry writes them (one event_publication row per listener, the event as Jackson JSON),
// with every inconsistency the flow can have planted among them, and decoys that look like one and are not.

export const EXAMPLE_DIR = new URL('../../examples/spring-modulith/', import.meta.url);
export const EXTERNALIZER =
  'org.springframework.modulith.events.support.DelegatingEventExternalizer.externalize(java.lang.Object)';
export const LOYALTY_LISTENER = 'com.example.shop.loyalty.LoyaltyPoints.on(com.example.shop.order.OrderPlaced)';
export const EVENT_TYPE = 'com.example.shop.order.OrderPlaced';

export const exampleSql = (name: string) => readFileSync(new URL(name, EXAMPLE_DIR), 'utf8');

const ORDERS = 300;
const MINUTE = 60_000;
/** Every planted row is this old or older, far beyond any grace period. */
const OLD_MS = 3 * 60 * MINUTE;

/** The order numbers and ids the test plants, by what is wrong with them (or what only looks wrong). */
export const PLAN = {
  /** Placed, paid, their message completed, and no delivery. */
  withoutDelivery: [41, 42, 43],
  /** Two live deliveries each. */
  duplicated: [61, 62],
  /** The externalizer's row is incomplete and old: PUBLISHED (the delivery exists) and RESUBMITTED (twice). */
  stuckPublished: 81,
  stuckResubmitted: 82,
  /** Cancelled: no delivery, one cancelled delivery, or two cancelled deliveries. None is a finding. */
  cancelledWithoutDelivery: [25, 50, 75, 100, 250, 275],
  cancelledOnce: [125, 150, 175],
  cancelledTwice: [200, 225, 300],
  /** One live delivery and one cancelled: not a duplicate. */
  livePlusCancelled: [30, 31],
  /** Numbered, delivered, and then rolled back: deliveries of orders that do not exist. */
  orphans: ['90', '91', '92', '93'],
  malformed: 'TEST-1',
  /**
   * Placed seconds ago, each with its delivery: the externalizer's row is PROCESSING (young: not stuck) and FAILED
   * (stuck at once).
   */
  young: ORDERS + 1,
  youngFailed: ORDERS + 2,
};

export interface OrderPlaced {
  orderNo: number;
  customerName: string;
  deliveryAddress: string;
  totalCents: number;
  placedAt: string;
}

export interface SeededShop {
  /** The externalizer's event_publication id of each order. */
  publicationOf: Map<number, string>;
  eventOf: Map<number, OrderPlaced>;
}

const orderStatusOf = (n: number) =>
  [...PLAN.cancelledWithoutDelivery, ...PLAN.cancelledOnce, ...PLAN.cancelledTwice].includes(n)
    ? 'CANCELLED'
    : n % 3 === 0
      ? 'PLACED'
      : 'PAID';

/** The other listener's row: completed for most orders, left in each incomplete state for some. */
const loyaltyStatusOf = (n: number) =>
  n % 7 === 0 ? 'PUBLISHED' : n % 11 === 0 ? 'FAILED' : n % 13 === 0 ? 'PROCESSING' : 'COMPLETED';

export async function seedShop(pools: { orders: pg.Pool; dispatch: pg.Pool }, now = Date.now()): Promise<SeededShop> {
  const placedAt = (n: number) => new Date(n > ORDERS ? now - 3_000 : now - OLD_MS - (ORDERS - n) * MINUTE);
  const numbers = Array.from({ length: ORDERS + 2 }, (_, i) => i + 1);
  const eventOf = new Map<number, OrderPlaced>(
    numbers.map((n) => [
      n,
      {
        orderNo: n,
        customerName: `Customer ${n}`,
        deliveryAddress: `${n} Harbour Street`,
        totalCents: 1_000 + n * 7,
        placedAt: placedAt(n).toISOString(),
      },
    ]),
  );
  // The database numbers the orders (GENERATED ALWAYS): inserted in order, they get 1, 2, 3…
  const { rows } = await pools.orders.query<{ order_no: string }>(
    `INSERT INTO customer_order (customer_name, delivery_address, total_cents, status, placed_at, last_modified_at)
     SELECT name, address, cents, status, at, at FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[],
       $5::timestamptz[]) WITH ORDINALITY AS o(name, address, cents, status, at, i) ORDER BY i RETURNING order_no`,
    [
      numbers.map((n) => eventOf.get(n)!.customerName),
      numbers.map((n) => eventOf.get(n)!.deliveryAddress),
      numbers.map((n) => eventOf.get(n)!.totalCents),
      numbers.map(orderStatusOf),
      numbers.map((n) => placedAt(n)),
    ],
  );
  if (rows.map((r) => Number(r.order_no)).join() !== numbers.join()) throw new Error('orders were not numbered 1..n');

  const orphans = PLAN.orphans.map(Number);
  await pools.orders.query('DELETE FROM customer_order WHERE order_no = ANY($1)', [orphans]);

  const publicationOf = new Map(numbers.map((n) => [n, randomUUID()]));
  const publications: unknown[][] = [];
  for (const n of numbers) {
    if (orphans.includes(n)) continue;
    const serialized = JSON.stringify(eventOf.get(n));
    const at = placedAt(n);
    const externalizer =
      n === PLAN.stuckPublished
        ? 'PUBLISHED'
        : n === PLAN.stuckResubmitted
          ? 'RESUBMITTED'
          : n === PLAN.young
            ? 'PROCESSING'
            : n === PLAN.youngFailed
              ? 'FAILED'
              : 'COMPLETED';
    publications.push(publication(publicationOf.get(n)!, EXTERNALIZER, serialized, at, externalizer));
    publications.push(publication(randomUUID(), LOYALTY_LISTENER, serialized, at, loyaltyStatusOf(n)));
  }
  await pools.orders.query(
    `INSERT INTO event_publication (id, listener_id, event_type, serialized_event, publication_date, completion_date,
       status, completion_attempts, last_resubmission_date)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[],
       $7::text[], $8::int[], $9::timestamptz[])`,
    columnsOf(publications),
  );

  const deliveries: unknown[][] = [];
  const deliver = (ref: string, event: OrderPlaced, status: string, afterMs = 2_000) => {
    const at = new Date(Date.parse(event.placedAt) + afterMs);
    deliveries.push([ref, status, `rider-${deliveries.length % 17}`, JSON.stringify(event), at, at]);
  };
  const plain = (n: number) => (n % 4 === 0 ? 'delivered' : n % 4 === 1 ? 'picked_up' : 'assigned');
  for (const n of numbers) {
    const event = eventOf.get(n)!;
    if (PLAN.withoutDelivery.includes(n) || PLAN.cancelledWithoutDelivery.includes(n)) continue;
    if (PLAN.cancelledOnce.includes(n)) deliver(String(n), event, 'cancelled');
    else if (PLAN.cancelledTwice.includes(n)) {
      deliver(String(n), event, 'cancelled');
      deliver(String(n), event, 'cancelled', 60_000);
    } else if (PLAN.livePlusCancelled.includes(n)) {
      deliver(String(n), event, 'cancelled');
      deliver(String(n), event, 'assigned', 60_000);
    } else if (PLAN.duplicated.includes(n)) {
      deliver(String(n), event, 'assigned');
      deliver(String(n), event, 'assigned', 60_000);
    } else deliver(String(n), event, orphans.includes(n) ? 'assigned' : plain(n));
  }
  deliver(PLAN.malformed, { ...eventOf.get(2)!, orderNo: -1 }, 'assigned');
  await pools.dispatch.query(
    `INSERT INTO delivery (order_ref, status, rider, order_snapshot, created_at, updated_at)
     SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::text[], $4::jsonb[], $5::timestamptz[], $6::timestamptz[])`,
    columnsOf(deliveries),
  );
  return { publicationOf, eventOf };
}

/** A row as JdbcEventPublicationRepositoryV2 leaves it in each status (completion_attempts starts at 1). */
function publication(id: string, listener: string, serialized: string, at: Date, status: string): unknown[] {
  const completed = status === 'COMPLETED' ? new Date(at.getTime() + 500) : null;
  const resubmitted = status === 'RESUBMITTED' ? new Date(at.getTime() + 5 * MINUTE) : at;
  const attempts = status === 'RESUBMITTED' ? 2 : 1;
  return [id, listener, EVENT_TYPE, serialized, at, completed, status, attempts, resubmitted];
}

const columnsOf = (rows: unknown[][]) => rows[0]!.map((_, i) => rows.map((row) => row[i]));
