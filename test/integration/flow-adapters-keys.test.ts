import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrdersPort } from '../../reconcilers/ports/business-db.ts';
import { createDispatchDb } from '../../server/adapters/flow/dispatch-db.ts';
import { createOrdersDb } from '../../server/adapters/flow/orders-db.ts';
import type { Flow } from '../../server/watched-system/model.ts';
import { makeReferenceFlow, UTC } from '../support/flows.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';

// The adapters on a system numbered with bigints, referenced from a varchar column in another database, with local
// times written in Shanghai: keys compare in one canonical form, times read as the instants they are, whatever
// Recon's own TZ, and a reference that cannot be an order id is named as such.
const SHANGHAI = { url: 'unused', timeZone: 'Asia/Shanghai' };

function makeFlow(): Flow {
  const flow = makeReferenceFlow();
  return {
    ...flow,
    order: {
      ...flow.order,
      table: 'purchase_order',
      id: 'order_no',
      createdAt: 'placed_at',
      updatedAt: 'last_modified_at',
      status: 'state',
      needsDispatch: "fulfilment <> 'PICKUP' AND state <> 'CANCELLED'",
    },
    dispatch: {
      ...flow.dispatch,
      table: 'delivery',
      orderId: 'order_ref',
      messageId: null,
      status: 'state',
      cancelledStatuses: ['CANCELLED', 4],
      updatedAt: null,
      orderSnapshot: null,
      courier: null,
    },
  };
}

let env: IsolatedEnv;
let pools: { orders: pg.Pool; dispatch: pg.Pool };
let orders: OrdersPort;
let dispatch: ReturnType<typeof createDispatchDb>;

beforeAll(async () => {
  env = await createIsolatedEnv('flow_keys');
  pools = {
    orders: new pg.Pool({ connectionString: env.ordersDatabaseUrl, max: 3 }),
    dispatch: new pg.Pool({ connectionString: env.dispatchDatabaseUrl, max: 3 }),
  };
  await pools.orders.query(`
    CREATE TABLE purchase_order (order_no bigint PRIMARY KEY, state text NOT NULL, fulfilment text NOT NULL,
      placed_at timestamp NOT NULL, last_modified_at timestamp NOT NULL);
    INSERT INTO purchase_order VALUES
      (9, 'PAID', 'DELIVERY', '2026-11-20 16:00:00', '2026-11-20 16:00:00'),
      (10, 'PAID', 'DELIVERY', '2026-11-20 16:00:01', '2026-11-20 16:00:01'),
      (11, 'PAID', 'PICKUP', '2026-11-20 16:00:02', '2026-11-20 16:00:02'),
      (100, 'CANCELLED', 'DELIVERY', '2026-11-20 16:00:03', '2026-11-20 16:00:03');`);
  await pools.dispatch.query(`
    CREATE TABLE delivery (id bigserial PRIMARY KEY, order_ref varchar(40), state text NOT NULL,
      created_at timestamptz NOT NULL);
    CREATE INDEX ON delivery (order_ref);
    INSERT INTO delivery (order_ref, state, created_at) VALUES
      ('10', 'RIDING', '2026-11-20T08:00:05Z'), ('100', 'CANCELLED', '2026-11-20T08:00:06Z'),
      ('TEST-1', 'RIDING', '2026-11-20T08:00:07Z'), ('011', 'RIDING', '2026-11-20T08:00:08Z'),
      ('9', '4', '2026-11-20T08:00:09Z');`);
  const flow = makeFlow();
  orders = createOrdersDb(pools.orders, flow, SHANGHAI);
  dispatch = createDispatchDb(pools.dispatch, flow, UTC, () => orders.keyFamily());
});

afterAll(async () => {
  await Promise.all(Object.values(pools ?? {}).map((pool) => pool.end()));
  await env?.destroy();
});

const collect = async <T>(pages: AsyncIterable<T[]>) => {
  const all: T[] = [];
  for await (const page of pages) all.push(...page);
  return all;
};

describe('flow adapters on bigint orders referenced from varchar', () => {
  it('reads the order ids as integer keys, and local times as the instants they were in Shanghai', async () => {
    expect(await orders.keyFamily()).toBe('integer');
    const [nine] = await orders.findOrders(['9']);
    expect(nine?.createdAt.toISOString()).toBe('2026-11-20T08:00:00.000Z');
    const page = await orders.pageChangedOrders(
      { after: '2026-11-20T08:00:00.500Z', id: null },
      new Date('2026-11-20T08:00:02.500Z'),
      10,
    );
    expect(page.map((o) => o.id)).toEqual(['10', '11']);
  });

  it('says which orders need no dispatch, from the configured expression', async () => {
    const found = await orders.findOrders(['9', '11', '100']);
    expect(Object.fromEntries(found.map((o) => [o.id, o.needsDispatch]))).toEqual({ 9: true, 11: false, 100: false });
  });

  it('finds dispatches by canonical keys, and never sends a key the column cannot be asked for', async () => {
    const rows = await dispatch.findDispatchesByOrderIds(['10', '100', '9']);
    expect(rows.map((d) => [d.orderId, d.isLive]).sort()).toEqual([
      ['10', true],
      ['100', false],
      ['9', false],
    ]);
    expect(await orders.findOrders(['TEST-1', '011'])).toEqual([]);
  });

  it('names the references that cannot be order ids instead of matching them', async () => {
    const page = await dispatch.pageChangedDispatches(
      { after: '2026-11-20T08:00:00Z', id: null },
      new Date('2026-11-20T09:00:00Z'),
      10,
    );
    const problems = Object.fromEntries(page.map((d) => [d.orderId, d.orderIdProblem !== null]));
    expect(problems).toEqual({ 10: false, 100: false, 'TEST-1': true, '011': true, 9: false });
    const again = await dispatch.findDispatchesByReferences(['TEST-1']);
    expect(again.map((d) => d.orderId)).toEqual(['TEST-1']);
  });

  it('streams both sides in one numeric key order, references that cannot be keys last', async () => {
    expect((await collect(orders.orderIdsInKeyOrder(2))).map((o) => o.id)).toEqual(['9', '10', '11', '100']);
    const groups = await collect(dispatch.dispatchedOrderIdsInKeyOrder(2));
    expect(groups.map((g) => g.orderId)).toEqual(['9', '10', '100', expect.any(String), expect.any(String)]);
    expect(
      groups
        .slice(3)
        .map((g) => g.orderId)
        .sort(),
    ).toEqual(['011', 'TEST-1']);
    expect(groups.slice(3).every((g) => g.orderIdProblem !== null)).toBe(true);
  });
});
