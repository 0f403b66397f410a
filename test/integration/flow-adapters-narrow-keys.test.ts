import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrdersDb } from '../../server/adapters/flow/orders-db.ts';
import { createOrdersRepairDb } from '../../server/adapters/flow/orders-repair-db.ts';
import { createTimelineDb } from '../../server/adapters/flow/timeline-db.ts';
import type { Flow } from '../../server/watched-system/model.ts';
import { makeReferenceFlow, UTC } from '../support/flows.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';

// Orders numbered with `integer`, referenced from a `bigint` column: a reference beyond the integer range is a
// well-formed integer key that no order can have. Asked about it, the order side answers "no such order" instead
// of sending PostgreSQL a value its column refuses ("value out of range for type integer").
function makeFlow(): Flow {
  const flow = makeReferenceFlow();
  return {
    ...flow,
    order: { ...flow.order, table: 'orders', snapshot: null },
    outbox: null,
    message: { ...flow.message, body: null },
    dispatch: { ...flow.dispatch, table: 'deliveries', messageId: null, orderSnapshot: null, courier: null },
  };
}

let env: IsolatedEnv;
let pools: { orders: pg.Pool; dispatch: pg.Pool };

beforeAll(async () => {
  env = await createIsolatedEnv('flow_narrow_keys');
  pools = {
    orders: new pg.Pool({ connectionString: env.ordersDatabaseUrl, max: 2 }),
    dispatch: new pg.Pool({ connectionString: env.dispatchDatabaseUrl, max: 2 }),
  };
  await pools.orders.query(`
    CREATE TABLE orders (id integer PRIMARY KEY, status text NOT NULL, created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL);
    INSERT INTO orders VALUES (7, 'paid', '2026-11-20T08:00:00Z', '2026-11-20T08:00:00Z');`);
  await pools.dispatch.query(`
    CREATE TABLE deliveries (id bigserial PRIMARY KEY, order_id bigint NOT NULL, status text NOT NULL,
      created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL);
    INSERT INTO deliveries (order_id, status, created_at, updated_at)
      VALUES (3000000000, 'riding', '2026-11-20T08:00:05Z', '2026-11-20T08:00:05Z');`);
});

afterAll(async () => {
  await Promise.all(Object.values(pools ?? {}).map((pool) => pool.end()));
  await env?.destroy();
});

describe('an integer order id column asked about a bigint reference beyond its range', () => {
  it('repairs find no such order, and still find order 7', async () => {
    const repairs = createOrdersRepairDb({ orders: pools.orders, outbox: null }, makeFlow(), {
      orders: UTC,
      outbox: null,
    });
    expect(await repairs.getOrder('3000000000')).toBeNull();
    expect(await repairs.getOrder('7')).toMatchObject({ id: '7', status: 'paid' });
  });

  it("the timeline shows the reference's deliveries and no order, not the orders database as unreadable", async () => {
    const flow = makeFlow();
    const orders = createOrdersDb(pools.orders, flow, UTC);
    const timeline = createTimelineDb(
      { orders: pools.orders, dispatch: pools.dispatch, outbox: null },
      flow,
      { orders: UTC, dispatch: UTC, outbox: null },
      () => orders.keyFamily(),
    );
    const history = await timeline.orderHistory('3000000000');
    expect(history).toMatchObject({ order: null, outbox: [], dispatches: [{ status: 'riding' }] });
  });
});
