import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrdersRepairDb } from '../../server/adapters/flow/orders-repair-db.ts';
import type { Flow } from '../../server/watched-system/model.ts';
import { makeReferenceFlow, UTC } from '../support/flows.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';

// make-up-order writes the missing order under its own number. Orders numbered by the database (an identity
// column GENERATED ALWAYS, as JPA and Spring Data JDBC schemas often are) refuse an explicit id unless the insert
// says it overrides the generated value.
function makeFlow(): Flow {
  const flow = makeReferenceFlow();
  return {
    ...flow,
    outbox: null,
    message: { ...flow.message, body: null },
    order: {
      ...flow.order,
      table: 'purchase_order',
      id: 'order_no',
      createdAt: 'placed_at',
      updatedAt: null,
      status: 'state',
      snapshot: { orderIdPath: '$.orderNo', createdAtPath: '$.placedAt', columns: { customer: '$.customer' } },
      madeUpStatus: 'RECOVERED',
    },
  };
}

let env: IsolatedEnv;
let pool: pg.Pool;

beforeAll(async () => {
  env = await createIsolatedEnv('orders_identity');
  pool = new pg.Pool({ connectionString: env.ordersDatabaseUrl, max: 2 });
  await pool.query(`
    CREATE TABLE purchase_order (order_no bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer text NOT NULL,
      state text NOT NULL, placed_at timestamptz NOT NULL);
    INSERT INTO purchase_order (customer, state, placed_at) VALUES ('Ada', 'PAID', now()), ('Bo', 'PAID', now());
    DELETE FROM purchase_order WHERE order_no = 2;`);
});

afterAll(async () => {
  await pool?.end();
  await env?.destroy();
});

describe('make-up-order on orders numbered by an identity column', () => {
  it('inserts the order under its own number, once', async () => {
    const repair = createOrdersRepairDb({ orders: pool, outbox: null }, makeFlow(), { orders: UTC, outbox: null });
    const made = repair.orderFromSnapshot('2', { orderNo: 2, placedAt: '2026-11-20T08:00:00Z', customer: 'Bo' });
    if ('problem' in made) throw new Error(made.problem);

    expect(await repair.insertOrder(made.order)).toBe(true);
    expect(await repair.insertOrder(made.order)).toBe(false);
    const { rows } = await pool.query('SELECT order_no, customer, state, placed_at FROM purchase_order ORDER BY 1');
    expect(rows).toEqual([
      { order_no: '1', customer: 'Ada', state: 'PAID', placed_at: expect.any(Date) },
      { order_no: '2', customer: 'Bo', state: 'RECOVERED', placed_at: new Date('2026-11-20T08:00:00Z') },
    ]);
  });
});
