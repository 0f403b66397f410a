import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { migrate } from '../../demo/migrate.ts';
import { migrateStore } from '../../server/store/migrate.ts';
import { ADMIN_URL } from '../databases.ts';

// The two flows the preset benchmark measures side by side, seeded alike: the same number of orders spaced alike,
// every 1,000th without a dispatch, one orphan dispatch per 10,000 orders, one outbox row per order with every
// 10,000th not published. What differs is what the issue asks about: the reference flow's uuid keys and timestamp
// outbox, against bigint order numbers read through varchar references and CAP's status-based outbox with its ids
// in JSON and its times in local time.

export const MISSING_EVERY = 1_000;
export const ORPHAN_EVERY = 10_000;
const SPACING_SECONDS = 2;

export type FlowName = 'uuid' | 'cap';

export interface BenchFlow {
  name: FlowName;
  /** Database names on the admin URL's server: the benchmark drops and recreates them. */
  databases: { orders: string; dispatch: string; recon: string };
  /** Recon's environment for this flow, besides the database URLs. */
  reconEnv: Record<string, string>;
  /** Creates the tables in the (empty) business databases. */
  createSchema(pools: FlowPools): Promise<void>;
  /** Inserts `orders` orders and their dispatches and outbox rows, set-based. */
  seed(pools: FlowPools, orders: number): Promise<void>;
  /** Marks `count` random rows of each side changed now (the rows an incremental cycle then reads). */
  touch: { orders: string; dispatches: string };
  /** The tables the database-side tuple counts are read from. */
  tables: { orders: string; dispatches: string };
}

export interface FlowPools {
  orders: pg.Pool;
  dispatch: pg.Pool;
}

const AT = `$2::timestamptz - ($3 - i) * interval '${SPACING_SECONDS} seconds'`;
const ORPHAN_AT = `$2::timestamptz - ($3 - i * ${ORPHAN_EVERY}) * interval '${SPACING_SECONDS} seconds' + interval '1 second'`;

const UUID_ID = `md5($1 || ':order:' || i)::uuid`;
const uuidFlow: BenchFlow = {
  name: 'uuid',
  databases: {
    orders: 'bench_preset_uuid_orders',
    dispatch: 'bench_preset_uuid_dispatch',
    recon: 'bench_preset_uuid_recon',
  },
  reconEnv: {},
  async createSchema(pools) {
    await Promise.all([migrate(pools.orders, 'orders'), migrate(pools.dispatch, 'dispatch')]);
  },
  async seed(pools, orders) {
    const params = await seedParams(pools.orders, orders);
    await Promise.all([
      pools.orders.query(
        `INSERT INTO orders (id, customer_id, items, total_cents, status, created_at, updated_at)
         SELECT ${UUID_ID}, 'customer-' || (i % 50000), jsonb_build_array(jsonb_build_object('sku', 'sku-' || (i % 997))),
           500 + i % 2500, 'created', ${AT}, ${AT} + interval '1 second'
         FROM generate_series(1, $3::int) AS i ORDER BY i`,
        params,
      ),
      pools.orders.query(
        `INSERT INTO outbox (message_id, aggregate_id, event_type, payload, created_at, published_at, confirmed_at,
           attempts, next_attempt_at)
         SELECT md5($1 || ':message:' || i)::uuid, ${UUID_ID}, 'order.created', jsonb_build_object('orderId', ${UUID_ID}),
           ${AT}, ${confirmedAt()}, ${confirmedAt()}, 1, NULL
         FROM generate_series(1, $3::int) AS i ORDER BY i`,
        params,
      ),
      pools.dispatch.query(
        `INSERT INTO dispatches (order_id, message_id, courier, status, order_snapshot, created_at, updated_at)
         SELECT order_id, message_id, 'courier-' || (n % 500), 'assigned', jsonb_build_object('orderId', order_id), at, at
         FROM (
           SELECT i AS n, ${UUID_ID} AS order_id, md5($1 || ':message:' || i)::uuid AS message_id,
             ${AT} + interval '3 seconds' AS at
           FROM generate_series(1, $3::int) AS i WHERE i % ${MISSING_EVERY} <> 0
           UNION ALL
           SELECT i, md5($1 || ':orphan:' || i)::uuid, NULL, ${ORPHAN_AT}
           FROM generate_series(1, $3::int / ${ORPHAN_EVERY}) AS i
         ) AS d ORDER BY at`,
        params,
      ),
    ]);
  },
  touch: {
    orders: 'UPDATE orders SET updated_at = now() WHERE id IN (SELECT id FROM orders ORDER BY random() LIMIT $1)',
    dispatches:
      'UPDATE dispatches SET updated_at = now() WHERE id IN (SELECT id FROM dispatches ORDER BY random() LIMIT $1)',
  },
  tables: { orders: 'orders', dispatches: 'dispatches' },
};

// Snowflake-like: 19 digits, increasing with time, as CAP's and many .NET shops' ids are.
const ORDER_NO = `(1400000000000000000::bigint + i::bigint * 4096)`;
const MESSAGE_NO = `(1500000000000000000::bigint + i::bigint * 4096)`;
const SHANGHAI = `'Asia/Shanghai'`;
// The seed's salt in the customer ids: every statement names all three parameters, so PostgreSQL can type them.
const CUSTOMER = `left($1, 8) || '-' || (i % 50000)`;
const capFlow: BenchFlow = {
  name: 'cap',
  databases: {
    orders: 'bench_preset_cap_orders',
    dispatch: 'bench_preset_cap_dispatch',
    recon: 'bench_preset_cap_recon',
  },
  reconEnv: { RECON_CONFIG: new URL('./cap/recon.yaml', import.meta.url).pathname },
  async createSchema(pools) {
    const sql = (path: string) => readFile(new URL(path, import.meta.url), 'utf8');
    await pools.orders.query(await sql('../../examples/cap/cap.sql'));
    await pools.orders.query(await sql('./cap/orders.sql'));
    await pools.dispatch.query(await sql('./cap/deliveries.sql'));
  },
  async seed(pools, orders) {
    const params = await seedParams(pools.orders, orders);
    // CAP writes "Added" with DateTime.Now: the shop's local time, in a timestamp without time zone.
    const added = `((${AT}) AT TIME ZONE ${SHANGHAI})`;
    await Promise.all([
      pools.orders.query(
        `INSERT INTO purchase_order (order_no, customer_id, items, total_cents, state, placed_at, last_modified_at)
         SELECT ${ORDER_NO}, ${CUSTOMER}, jsonb_build_array(jsonb_build_object('sku', 'sku-' || (i % 997))),
           500 + i % 2500, 'created', ${AT}, ${AT} + interval '1 second'
         FROM generate_series(1, $3::int) AS i ORDER BY i`,
        params,
      ),
      pools.orders.query(
        `INSERT INTO cap.published ("Id", "Version", "Name", "Content", "Retries", "Added", "ExpiresAt", "StatusName")
         SELECT ${MESSAGE_NO}, 'v1', 'order.created',
           json_build_object(
             'Headers', json_build_object('cap-msg-id', ${MESSAGE_NO}::text, 'cap-msg-name', 'order.created'),
             'Value', json_build_object('OrderNo', ${ORDER_NO}, 'CustomerId', ${CUSTOMER})
           )::text,
           0, ${added}, ${added} + interval '1 day',
           CASE WHEN i % ${ORPHAN_EVERY} = 0 THEN 'Failed' ELSE 'Succeeded' END
         FROM generate_series(1, $3::int) AS i ORDER BY i`,
        params,
      ),
      pools.dispatch.query(
        `INSERT INTO delivery (order_ref, message_id, courier, state, order_snapshot, created_at, updated_at)
         SELECT order_ref, message_id, 'courier-' || (n % 500), 'assigned',
           jsonb_build_object('orderNo', order_ref, 'customerId', customer), at, at
         FROM (
           SELECT i AS n, ${CUSTOMER} AS customer, ${ORDER_NO}::text AS order_ref, ${MESSAGE_NO}::text AS message_id,
             ${AT} + interval '3 seconds' AS at
           FROM generate_series(1, $3::int) AS i WHERE i % ${MISSING_EVERY} <> 0
           UNION ALL
           SELECT i, ${CUSTOMER}, (1600000000000000000::bigint + i)::text, NULL, ${ORPHAN_AT}
           FROM generate_series(1, $3::int / ${ORPHAN_EVERY}) AS i
         ) AS d ORDER BY at`,
        params,
      ),
    ]);
  },
  touch: {
    orders: `UPDATE purchase_order SET last_modified_at = now()
      WHERE order_no IN (SELECT order_no FROM purchase_order ORDER BY random() LIMIT $1)`,
    dispatches:
      'UPDATE delivery SET updated_at = now() WHERE id IN (SELECT id FROM delivery ORDER BY random() LIMIT $1)',
  },
  tables: { orders: 'purchase_order', dispatches: 'delivery' },
};

/** The reference outbox's confirmation: every row but each 10,000th, which is stuck. */
const confirmedAt = () => `CASE WHEN i % ${ORPHAN_EVERY} = 0 THEN NULL ELSE ${AT} + interval '1 second' END`;

async function seedParams(pool: pg.Pool, orders: number) {
  const { rows } = await pool.query<{ salt: string; base: Date }>(
    "SELECT gen_random_uuid()::text AS salt, date_trunc('second', now() - interval '1 hour') AS base",
  );
  return [rows[0]!.salt, rows[0]!.base, orders];
}

export const FLOWS: Record<FlowName, BenchFlow> = { uuid: uuidFlow, cap: capFlow };

export function flowUrl(database: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

export function flowPools(flow: BenchFlow): FlowPools & { recon: pg.Pool } {
  const pool = (database: string) => new pg.Pool({ connectionString: flowUrl(database), max: 2 });
  return {
    orders: pool(flow.databases.orders),
    dispatch: pool(flow.databases.dispatch),
    recon: pool(flow.databases.recon),
  };
}

/** Drops and recreates the flow's databases, creates its tables and Recon's store, and seeds it. */
export async function seedFlow(flow: BenchFlow, orders: number): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect().catch((cause: Error) => {
    throw new Error(`cannot reach PostgreSQL at ${ADMIN_URL}; start it with: bash scripts/services.sh`, { cause });
  });
  try {
    for (const name of Object.values(flow.databases)) {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${name}`);
    }
  } finally {
    await admin.end();
  }
  const pools = flowPools(flow);
  try {
    await Promise.all([flow.createSchema(pools), migrateStore(pools.recon)]);
    await flow.seed(pools, orders);
    await pools.orders.query(`CREATE TABLE bench_seed (orders int NOT NULL)`);
    await pools.orders.query('INSERT INTO bench_seed VALUES ($1)', [orders]);
    await Promise.all([pools.orders.query('VACUUM ANALYZE'), pools.dispatch.query('VACUUM ANALYZE')]);
    await pools.orders.query('CHECKPOINT');
  } finally {
    await Promise.all(Object.values(pools).map((p) => p.end()));
  }
}

/** How many orders the flow's databases were seeded with, or null when they were not (or not completely). */
export async function seededOrders(flow: BenchFlow): Promise<number | null> {
  const client = new pg.Client({ connectionString: flowUrl(flow.databases.orders) });
  try {
    await client.connect();
    const { rows } = await client.query<{ orders: number }>('SELECT orders FROM bench_seed');
    return rows[0]?.orders ?? null;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}
