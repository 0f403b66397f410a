import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatchDb } from '../../server/adapters/flow/dispatch-db.ts';
import { createOrdersDb } from '../../server/adapters/flow/orders-db.ts';
import type { Flow } from '../../server/watched-system/model.ts';
import { makeReferenceFlow, UTC } from '../support/flows.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';

// Where order ids are text, the empty reference is the one text that cannot be an order id. A dispatch holding it
// (or holding none: NULL reads as the empty reference) must be found again by that reference, or its
// malformed-order-reference finding is judged ok the moment it is looked up, and never opens.
function makeFlow(): Flow {
  const flow = makeReferenceFlow();
  return {
    ...flow,
    order: { ...flow.order, table: 'purchase_order', id: 'code', updatedAt: null, snapshot: null },
    dispatch: { ...flow.dispatch, table: 'delivery', orderId: 'order_ref', messageId: null, orderSnapshot: null },
  };
}

let env: IsolatedEnv;
let pools: { orders: pg.Pool; dispatch: pg.Pool };
let dispatch: ReturnType<typeof createDispatchDb>;

beforeAll(async () => {
  env = await createIsolatedEnv('flow_empty_ref');
  pools = {
    orders: new pg.Pool({ connectionString: env.ordersDatabaseUrl, max: 2 }),
    dispatch: new pg.Pool({ connectionString: env.dispatchDatabaseUrl, max: 2 }),
  };
  await pools.orders.query(`
    CREATE TABLE purchase_order (code text PRIMARY KEY, status text NOT NULL, created_at timestamptz NOT NULL);
    INSERT INTO purchase_order VALUES ('ORD-1', 'placed', '2026-11-20T08:00:00Z');`);
  await pools.dispatch.query(`
    CREATE TABLE delivery (id bigserial PRIMARY KEY, order_ref varchar(32), status text NOT NULL,
      created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL);
    INSERT INTO delivery (order_ref, status, created_at, updated_at) VALUES
      ('ORD-1', 'assigned', '2026-11-20T08:00:01Z', '2026-11-20T08:00:01Z'),
      ('', 'assigned', '2026-11-20T08:00:02Z', '2026-11-20T08:00:02Z'),
      (NULL, 'assigned', '2026-11-20T08:00:03Z', '2026-11-20T08:00:03Z');`);
  const flow = makeFlow();
  const orders = createOrdersDb(pools.orders, flow, UTC);
  dispatch = createDispatchDb(pools.dispatch, flow, UTC, () => orders.keyFamily());
});

afterAll(async () => {
  await Promise.all(Object.values(pools ?? {}).map((pool) => pool.end()));
  await env?.destroy();
});

describe('dispatch references on text order ids', () => {
  it('finds the dispatches of the empty reference again, an empty string and a NULL alike', async () => {
    const rows = await dispatch.findDispatchesByReferences(['']);
    expect(rows.map((d) => [d.id, d.orderId, d.orderIdProblem]).sort()).toEqual([
      ['2', '', 'it is empty'],
      ['3', '', 'it is empty'],
    ]);
  });

  it('finds nothing else with it', async () => {
    const rows = await dispatch.findDispatchesByReferences(['', 'ORD-1']);
    expect(rows.map((d) => d.id).sort()).toEqual(['1', '2', '3']);
  });
});
