import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatchDb } from '../../server/adapters/flow/dispatch-db.ts';
import { createDispatchRepairDb } from '../../server/adapters/flow/dispatch-repair-db.ts';
import { createOrdersDb } from '../../server/adapters/flow/orders-db.ts';
import { createOrdersRepairDb } from '../../server/adapters/flow/orders-repair-db.ts';
import { createOutboxDb } from '../../server/adapters/flow/outbox-db.ts';
import { createTimelineDb } from '../../server/adapters/flow/timeline-db.ts';
import { runCheck } from '../../server/check/run-check.ts';
import type { WatchedSystem } from '../../server/watched-system/model.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { loadText } from '../support/watched-system.ts';

// `recon check` derives the indexes Recon needs from the flow, not from the adapters' SQL: this keeps the two true
// to each other. Tables start with no index at all; the check's CREATE INDEX statements are run, and then every
// statement the adapters send is planned with sequential scans priced out: an index the check forgot shows up as a
// Seq Scan. (The rows are few; `enable_seqscan = off` makes the planner take any index that can serve.)

const MESSAGE_ID = '6f1c1c4e-9d1b-4a43-9a3b-3f1b2c1d0e01';

const YAML = `
databases:
  shop: { url: "\${ORDERS_DATABASE_URL}", timeZone: Asia/Shanghai }
  delivery: { url: "\${DISPATCH_DATABASE_URL}" }
broker: { url: "\${RABBITMQ_URL}", management: "\${RABBITMQ_MANAGEMENT_URL}", watchedQueues: [] }
flows:
  - name: orders
    order: { database: shop, table: purchase_order, id: order_no, createdAt: placed_at, updatedAt: last_modified_at, status: state }
    outbox:
      preset: timestamps
      database: shop
      table: outbox
      orderId: { column: aggregate_id }
    message: { exchange: shop.events, routingKey: order.created, orderIdPath: $.orderNo }
    dispatch:
      database: delivery
      table: delivery
      id: id
      orderId: order_ref
      messageId: message_id
      status: state
      cancelledStatuses: [CANCELLED]
      createdAt: created_at
      updatedAt: updated_at
    inbox: { preset: table, database: delivery, table: processed_messages }
    deadLetterQueues: []
`;

const ORDERS_DDL = `
  CREATE TABLE purchase_order (order_no bigint NOT NULL, placed_at timestamp NOT NULL,
    last_modified_at timestamptz NOT NULL, state text NOT NULL);
  CREATE TABLE outbox (message_id uuid NOT NULL, aggregate_id bigint NOT NULL, event_type text, payload jsonb,
    created_at timestamptz NOT NULL, published_at timestamptz, confirmed_at timestamptz, attempts int, last_error text);
  INSERT INTO purchase_order SELECT i, now() - i * interval '1 minute', now() - i * interval '1 minute', 'placed'
    FROM generate_series(1, 5) AS i;
  INSERT INTO outbox (message_id, aggregate_id, created_at) VALUES ('${MESSAGE_ID}', 1, now() - interval '1 hour')`;
const DISPATCH_DDL = `
  CREATE TABLE delivery (id bigint NOT NULL, order_ref bigint NOT NULL, message_id uuid, state text NOT NULL,
    created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL);
  CREATE TABLE processed_messages (message_id uuid NOT NULL, processed_at timestamptz);
  INSERT INTO delivery SELECT i, i, NULL, 'assigned', now() - i * interval '1 minute', now() - i * interval '1 minute'
    FROM generate_series(1, 5) AS i`;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

let env: IsolatedEnv;
let setup: { orders: pg.Pool; dispatch: pg.Pool };
let watched: WatchedSystem;
let dir: string;

const sideEnv = () => ({
  ORDERS_DATABASE_URL: env.ordersDatabaseUrl,
  DISPATCH_DATABASE_URL: env.dispatchDatabaseUrl,
  RABBITMQ_URL: env.rabbitmqUrl,
  RABBITMQ_MANAGEMENT_URL: env.managementUrl,
});

beforeAll(async () => {
  env = await createIsolatedEnv('check_plans');
  setup = {
    orders: new pg.Pool({ connectionString: env.ordersDatabaseUrl, max: 1 }),
    dispatch: new pg.Pool({ connectionString: env.dispatchDatabaseUrl, max: 1 }),
  };
  await setup.orders.query(ORDERS_DDL);
  await setup.dispatch.query(DISPATCH_DDL);
  watched = loadText(YAML, sideEnv());
  dir = await mkdtemp(join(tmpdir(), 'recon-check-plans-'));
  await writeFile(join(dir, 'recon.yaml'), YAML);
});

afterAll(async () => {
  await Promise.all(Object.values(setup ?? {}).map((pool) => pool.end()));
  await env?.destroy();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the check's indexes serve the adapters' statements", () => {
  it('asks for an index for each statement, and with those created, no statement scans a table', async () => {
    const check = () => runCheck({ ...sideEnv(), RECON_CONFIG: join(dir, 'recon.yaml') });
    const before = await check();
    const fixes = before.items.filter((item) => item.kind === 'index' && item.fix);
    expect(fixes.map((item) => [item.table, item.name])).toEqual([
      ['purchase_order', '(order_no)'],
      ['purchase_order', '(last_modified_at, order_no)'],
      ['outbox', '(created_at)'],
      ['outbox', '(message_id)'],
      ['outbox', '(aggregate_id)'],
      ['delivery', '(order_ref)'],
      ['delivery', '(updated_at, id)'],
      ['processed_messages', '(message_id)'],
    ]);
    for (const item of fixes) await setup[item.database === 'shop' ? 'orders' : 'dispatch'].query(item.fix!);
    const after = await check();
    expect(after.items.filter((item) => item.kind === 'index' && item.status !== 'ok')).toEqual([]);

    const scans = await plannedScans();
    expect(scans.length).toBeGreaterThan(15);
    expect(scans.filter((scan) => scan.startsWith('Seq Scan'))).toEqual([]);
  });
});

/** Runs each adapter read once through recording pools, then plans every statement sent with seq scans off. */
async function plannedScans(): Promise<string[]> {
  const sent: Array<{ side: 'orders' | 'dispatch'; text: string; values: unknown[] }> = [];
  const recording = (side: 'orders' | 'dispatch') =>
    ({
      options: setup[side].options,
      query: (text: string, values: unknown[] = []) => {
        if (!/\bpg_(attribute|database)\b/.test(text)) sent.push({ side, text, values });
        return setup[side].query(text, values);
      },
    }) as unknown as pg.Pool;
  const { flow, databases } = watched;
  const shop = databases.shop!;
  const delivery = databases.delivery!;
  const orders = createOrdersDb(recording('orders'), flow, shop);
  const keyFamily = () => orders.keyFamily();
  const dispatch = createDispatchDb(recording('dispatch'), flow, delivery, keyFamily);
  const outbox = createOutboxDb(recording('orders'), flow.outbox!, shop)!;
  const ordersRepair = createOrdersRepairDb({ orders: recording('orders'), outbox: recording('orders') }, flow, {
    orders: shop,
    outbox: shop,
  });
  const dispatchRepair = createDispatchRepairDb(
    { dispatch: recording('dispatch'), inbox: recording('dispatch') },
    flow,
    delivery,
    keyFamily,
  );
  const timeline = createTimelineDb(
    { orders: recording('orders'), dispatch: recording('dispatch'), outbox: recording('orders') },
    flow,
    { orders: shop, dispatch: delivery, outbox: shop },
    keyFamily,
  );
  const now = new Date();
  const drain = async (stream: AsyncIterable<unknown>) => {
    for await (const _ of stream);
  };
  const firstOrders = await orders.pageChangedOrders({ after: '-infinity', id: null }, now, 2);
  await orders.pageChangedOrders({ after: firstOrders[1]!.position, id: firstOrders[1]!.id }, now, 2);
  await orders.findOrders(['1', '2']);
  await drain(orders.orderIdsInKeyOrder(2));
  const firstDispatches = await dispatch.pageChangedDispatches({ after: '-infinity', id: null }, now, 2);
  await dispatch.pageChangedDispatches({ after: firstDispatches[1]!.position, id: firstDispatches[1]!.id }, now, 2);
  await dispatch.findDispatchesByOrderIds(['1', '2']);
  await drain(dispatch.dispatchedOrderIdsInKeyOrder(2));
  await outbox.listUnpublished(now, 10);
  await outbox.findUnpublished([MESSAGE_ID]);
  await ordersRepair.getOrder('1');
  await ordersRepair.getOutbox(MESSAGE_ID);
  await ordersRepair.latestMessageIdFor('1');
  await dispatchRepair.liveDispatches('1');
  await dispatchRepair.isProcessed(MESSAGE_ID);
  await timeline.orderHistory('1');

  const tables = new Set(['purchase_order', 'outbox', 'delivery', 'processed_messages']);
  const planners = {
    orders: new pg.Pool({ connectionString: env.ordersDatabaseUrl, max: 1, options: '-c enable_seqscan=off' }),
    dispatch: new pg.Pool({ connectionString: env.dispatchDatabaseUrl, max: 1, options: '-c enable_seqscan=off' }),
  };
  try {
    const scans: string[] = [];
    for (const { side, text, values } of sent) {
      const { rows } = await planners[side].query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
        `EXPLAIN (FORMAT JSON) ${text}`,
        values,
      );
      const walk = (node: PlanNode): string[] => [
        ...(node['Relation Name'] && tables.has(node['Relation Name'])
          ? [`${node['Node Type']} on ${node['Relation Name']}: ${text.replace(/\s+/g, ' ').slice(0, 160)}`]
          : []),
        ...(node.Plans ?? []).flatMap(walk),
      ];
      scans.push(...walk(rows[0]!['QUERY PLAN'][0]!.Plan));
    }
    return scans;
  } finally {
    await Promise.all(Object.values(planners).map((pool) => pool.end()));
  }
}
