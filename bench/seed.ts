// Seeds the benchmark's two business databases (and an empty Recon store) with set-based SQL, and records the
// exact answer. Usage: npx tsx bench/seed.ts [--orders 1000000]
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { migrate } from '../demo/migrate.ts';
import { migrateStore } from '../server/store/migrate.ts';
import { benchPool, recreateBenchDatabases } from './databases.ts';
import { type Expected, writeExpected } from './expected.ts';

/** Every 1,000th order gets no dispatch (0.1%); one orphan dispatch per 10,000 orders (0.01%). */
const MISSING_EVERY = 1_000;
const ORPHAN_EVERY = 10_000;
/** Seconds between consecutive orders: 1M orders span about 23 days, all long past any grace period. */
const ORDER_SPACING_SECONDS = 2;

// Order ids are md5(salt:order:i) as a uuid: uniformly spread over the uuid space like gen_random_uuid(), but both
// databases can derive the same ids on their own, so no row crosses between them. The salt is random per seed.
const ORDER_ID = `md5($1 || ':order:' || i)::uuid`;
const ORDER_AT = `$2::timestamptz - ($3 - i) * interval '${ORDER_SPACING_SECONDS} seconds'`;

const INSERT_ORDERS = `INSERT INTO orders (id, customer_id, items, total_cents, status, created_at, updated_at)
  SELECT ${ORDER_ID}, 'customer-' || (i % 50000),
    jsonb_build_array(jsonb_build_object('sku', 'sku-' || (i % 997), 'qty', 1 + i % 3, 'priceCents', 500 + i % 2500)),
    (1 + i % 3) * (500 + i % 2500), 'created', ${ORDER_AT}, ${ORDER_AT} + interval '1 second'
  FROM generate_series(1, $3::int) AS i ORDER BY i`;

// Dispatches arrive in time order (bigserial ids follow time), the orphans interleaved where they happened.
const INSERT_DISPATCHES = `INSERT INTO dispatches (order_id, message_id, courier, status, order_snapshot, created_at, updated_at)
  SELECT order_id, gen_random_uuid(), 'courier-' || (n % 500), 'assigned',
    jsonb_build_object('orderId', order_id, 'totalCents', (1 + n % 3) * (500 + n % 2500)), at, at
  FROM (
    SELECT i AS n, ${ORDER_ID} AS order_id, ${ORDER_AT} + interval '3 seconds' AS at
    FROM generate_series(1, $3::int) AS i WHERE i % ${MISSING_EVERY} <> 0
    UNION ALL
    SELECT i, md5($1 || ':orphan:' || i)::uuid, $2::timestamptz - ($3 - i * ${ORPHAN_EVERY}) * interval '${ORDER_SPACING_SECONDS} seconds' + interval '1 second'
    FROM generate_series(1, $3::int / ${ORPHAN_EVERY}) AS i
  ) AS d ORDER BY at`;

const EXPECTED_MISSING = `SELECT ${ORDER_ID}::text AS id FROM generate_series(${MISSING_EVERY}, $2::int, ${MISSING_EVERY}) AS i`;
const EXPECTED_ORPHANS = `SELECT md5($1 || ':orphan:' || i)::uuid::text AS id FROM generate_series(1, $2::int / ${ORPHAN_EVERY}) AS i`;

export async function seed(orders: number, log: (line: string) => void = console.log): Promise<Expected> {
  if (!Number.isInteger(orders) || orders < ORPHAN_EVERY || orders % ORPHAN_EVERY !== 0)
    throw new Error(`--orders must be a positive multiple of ${ORPHAN_EVERY}, got ${orders}`);
  const startedAt = performance.now();
  await recreateBenchDatabases();
  const pools = { orders: benchPool('orders'), dispatch: benchPool('dispatch'), recon: benchPool('recon') };
  try {
    await Promise.all([
      migrate(pools.orders, 'orders'),
      migrate(pools.dispatch, 'dispatch'),
      migrateStore(pools.recon),
    ]);
    const { rows } = await pools.orders.query<{ salt: string; base: Date }>(
      "SELECT gen_random_uuid()::text AS salt, date_trunc('second', now() - interval '1 hour') AS base",
    );
    const { salt, base } = rows[0]!;
    log(`seeding ${orders.toLocaleString('en')} orders and their dispatches (two databases in parallel)…`);
    const [orderRows, dispatchRows] = await Promise.all([
      pools.orders.query(INSERT_ORDERS, [salt, base, orders]).then((r) => r.rowCount ?? 0),
      pools.dispatch.query(INSERT_DISPATCHES, [salt, base, orders]).then((r) => r.rowCount ?? 0),
    ]);
    const ids = async (sql: string) =>
      (await pools.orders.query<{ id: string }>(sql, [salt, orders])).rows.map((r) => r.id).sort();
    const expected: Expected = {
      orders: orderRows,
      dispatches: dispatchRows,
      missing: await ids(EXPECTED_MISSING),
      orphans: await ids(EXPECTED_ORPHANS),
      seededAt: new Date().toISOString(),
    };
    const wantDispatches = orders - orders / MISSING_EVERY + orders / ORPHAN_EVERY;
    if (orderRows !== orders || dispatchRows !== wantDispatches)
      throw new Error(`seeded ${orderRows} orders / ${dispatchRows} dispatches, wanted ${orders} / ${wantDispatches}`);
    log('VACUUM ANALYZE…');
    await Promise.all([pools.orders.query('VACUUM ANALYZE'), pools.dispatch.query('VACUUM ANALYZE')]);
    await pools.orders.query('CHECKPOINT');
    await writeExpected(expected);
    const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
    log(
      `seeded in ${seconds} s: ${orderRows} orders, ${dispatchRows} dispatches, ` +
        `${expected.missing.length} missing dispatches, ${expected.orphans.length} orphan dispatches`,
    );
    return expected;
  } finally {
    await Promise.all(Object.values(pools).map((p) => p.end()));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { orders: { type: 'string', default: '1000000' } } });
  await seed(Number(values.orders));
}
