import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTimelineDb } from '../../server/adapters/flow/timeline-db.ts';
import { createApp } from '../../server/http/app.ts';
import { createMetrics } from '../../server/metrics/registry.ts';
import { createMetricsState } from '../../server/metrics/state.ts';
import { migrateStore } from '../../server/store/migrate.ts';
import { createPgStore } from '../../server/store/pg-store.ts';
import { createUserStore } from '../../server/store/user-store.ts';
import { loadWatchedSystem } from '../../server/watched-system/load-watched-system.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { addUserTo } from '../support/users.ts';

// An order's timeline on a system whose tables and columns are all named otherwise than the reference system's,
// read through the real adapter and the HTTP route: every event comes from the configured columns, none is lost.
const T0 = new Date('2026-11-20T08:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const orderId = randomUUID();
const messageId = randomUUID();

/** The system's own names, in a watched-system file as a user writes one. */
const watchedFile = `
databases:
  shop: { url: "\${SHOP_DB}" }
  delivery: { url: "\${DELIVERY_DB}" }
broker: { url: "amqp://guest:guest@127.0.0.1:5672", management: "http://guest:guest@127.0.0.1:15672" }
flows:
  - name: orders
    order: { database: shop, table: shop.purchase_orders, id: order_no, createdAt: placed_at,
             updatedAt: last_modified_at, status: state }
    outbox:
      database: shop
      table: shop.events
      messageId: msg_id
      orderId: { column: order_ref }
      createdAt: written_at
      publishedAt: sent_at
      confirmedAt: acked_at
      eventType: kind
      attempts: tries
      lastError: null
      payload: null
    message: { exchange: orders, routingKey: order.paid, orderIdPath: "$.orderNo" }
    dispatch: { database: delivery, table: delivery, id: delivery_id, orderId: purchase, messageId: msg,
                status: state, cancelledStatuses: [CANCELLED], createdAt: assigned_at, updatedAt: changed_at,
                courier: rider }
    inbox: null
    deadLetterQueues: []
`;

let env: IsolatedEnv;
let pools: { orders: pg.Pool; dispatch: pg.Pool; recon: pg.Pool };
let app: ReturnType<typeof createApp>;
let viewer: string;

beforeAll(async () => {
  env = await createIsolatedEnv('timeline_mapping');
  pools = {
    orders: new pg.Pool({ connectionString: env.ordersDatabaseUrl, max: 3 }),
    dispatch: new pg.Pool({ connectionString: env.dispatchDatabaseUrl, max: 3 }),
    recon: new pg.Pool({ connectionString: env.reconDatabaseUrl, max: 3 }),
  };
  await pools.orders.query(`
    CREATE SCHEMA shop;
    CREATE TABLE shop.purchase_orders (order_no uuid PRIMARY KEY, state text, placed_at timestamptz NOT NULL,
      last_modified_at timestamptz NOT NULL, customer text);
    CREATE TABLE shop.events (seq bigserial PRIMARY KEY, msg_id uuid NOT NULL, order_ref uuid NOT NULL, kind text,
      written_at timestamptz NOT NULL, sent_at timestamptz, acked_at timestamptz, tries int NOT NULL DEFAULT 0);`);
  await pools.dispatch.query(`
    CREATE TABLE delivery (delivery_id bigserial PRIMARY KEY, purchase uuid NOT NULL, msg uuid, state text,
      rider text, assigned_at timestamptz NOT NULL, changed_at timestamptz NOT NULL);`);
  await pools.orders.query('INSERT INTO shop.purchase_orders VALUES ($1, $2, $3, $4, $5)', [
    orderId,
    'paid',
    at(0),
    at(400),
    'c-9',
  ]);
  await pools.orders.query(
    'INSERT INTO shop.events (msg_id, order_ref, kind, written_at, sent_at, acked_at, tries) VALUES ($1, $2, $3, $4, $5, $6, 2)',
    [messageId, orderId, 'order.paid', at(0), at(5), at(6)],
  );
  await pools.dispatch.query(
    'INSERT INTO delivery (purchase, msg, state, rider, assigned_at, changed_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [orderId, messageId, 'delivered', 'rider-7', at(10), at(900)],
  );

  await migrateStore(pools.recon);
  const users = createUserStore(pools.recon);
  viewer = await addUserTo(users, 'vera', 'viewer');
  app = createApp({
    store: createPgStore(pools.recon),
    metrics: createMetrics(createMetricsState()),
    timeline: timelineOf(),
    isReady: async () => true,
    users,
  });
});

/** The timeline adapter as Recon wires it from the file: each database's pool and zone. */
function timelineOf() {
  const { flow, databases } = loadWatchedSystem(
    { RECON_CONFIG: 'recon.yaml', SHOP_DB: env.ordersDatabaseUrl, DELIVERY_DB: env.dispatchDatabaseUrl },
    () => watchedFile,
  );
  const keyFamily = async () => 'uuid' as const;
  return createTimelineDb(
    { orders: pools.orders, dispatch: pools.dispatch, outbox: pools.orders },
    flow,
    { orders: databases.shop!, dispatch: databases.delivery!, outbox: databases.shop! },
    keyFamily,
  );
}

afterAll(async () => {
  await Promise.all(Object.values(pools ?? {}).map((pool) => pool.end()));
  await env?.destroy();
});

const readTimeline = async (id: string) => {
  const response = await app.request(`/api/orders/${id}/timeline`, { headers: { authorization: viewer } });
  expect(response.status).toBe(200);
  return (await response.json()) as {
    order: Record<string, unknown> | null;
    dispatches: Record<string, unknown>[];
    events: Array<{ at: string; source: string; type: string; detail: Record<string, unknown> }>;
    unavailable: string[];
  };
};

describe('the order timeline under a custom mapping', () => {
  it('tells the whole story from the configured tables and columns', async () => {
    const body = await readTimeline(orderId);

    expect(body.unavailable).toEqual([]);
    expect(body.events.map((e) => `${e.at} ${e.source}.${e.type}`)).toEqual([
      `${at(0).toISOString()} order.created`,
      `${at(0).toISOString()} outbox.created`,
      `${at(5).toISOString()} outbox.published`,
      `${at(6).toISOString()} outbox.confirmed`,
      `${at(10).toISOString()} dispatch.assigned`,
      `${at(400).toISOString()} order.updated`,
      `${at(900).toISOString()} dispatch.updated`,
    ]);
    expect(body.events.find((e) => e.type === 'assigned')?.detail).toEqual({
      dispatchId: '1',
      courier: 'rider-7',
      messageId,
    });
    expect(body.events.find((e) => e.type === 'published')?.detail).toEqual({ messageId, attempts: 2 });
    expect(body.events.find((e) => e.source === 'order')?.detail).toEqual({ status: 'paid' });
  });

  it("shows each row whole, in the database's own column names", async () => {
    const body = await readTimeline(orderId);

    expect(body.order).toMatchObject({ order_no: orderId, state: 'paid', customer: 'c-9' });
    expect(body.dispatches).toEqual([expect.objectContaining({ purchase: orderId, rider: 'rider-7' })]);
  });

  it('finds nothing, and fails nothing, for an order the databases do not hold', async () => {
    const body = await readTimeline(randomUUID());

    expect(body).toMatchObject({ order: null, dispatches: [], events: [], unavailable: [] });
  });
});
