import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RepairPorts } from '../../reconcilers/ports/repair.ts';
import type { Finding } from '../../reconcilers/registry.ts';
import { runRepair } from '../../server/actions/run-repair.ts';
import { createDispatchRepairDb } from '../../server/adapters/flow/dispatch-repair-db.ts';
import { createOrdersRepairDb } from '../../server/adapters/flow/orders-repair-db.ts';
import type { ActionRecord } from '../../server/store/action-types.ts';
import type { Flow } from '../../server/watched-system/model.ts';
import { makeReferenceFlow, UTC } from '../support/flows.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';

// A repair the watched database refuses (a NOT NULL column the configuration does not fill, a trigger that says
// no) did nothing, and would be refused again: it fails with the database's words instead of waiting `in-doubt`
// for retries. Only where nothing else of the repair took effect first, and only for an answer from the server.
function makeFlow(): Flow {
  const flow = makeReferenceFlow();
  return {
    ...flow,
    outbox: null,
    inbox: null,
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
    dispatch: {
      ...flow.dispatch,
      table: 'delivery',
      orderId: 'order_no',
      messageId: null,
      status: 'state',
      cancelledStatuses: ['CANCELLED'],
      updatedAt: null,
      orderSnapshot: 'snapshot',
      courier: null,
    },
  };
}

let env: IsolatedEnv;
let orders: pg.Pool;
let dispatch: pg.Pool;

beforeAll(async () => {
  env = await createIsolatedEnv('repair_refusal');
  orders = new pg.Pool({ connectionString: env.ordersDatabaseUrl, max: 2 });
  dispatch = new pg.Pool({ connectionString: env.dispatchDatabaseUrl, max: 2 });
  // The orders table has a column the snapshot mapping does not fill and that has no default.
  await orders.query(`CREATE TABLE purchase_order (order_no bigint PRIMARY KEY, customer text NOT NULL,
    channel text NOT NULL, state text NOT NULL, placed_at timestamptz NOT NULL)`);
  await dispatch.query(`
    CREATE TABLE delivery (id bigserial PRIMARY KEY, order_no bigint NOT NULL, state text NOT NULL,
      snapshot jsonb, created_at timestamptz NOT NULL DEFAULT now());
    INSERT INTO delivery (order_no, state, snapshot) VALUES
      (7, 'ASSIGNED', '{"orderNo": 7, "placedAt": "2026-11-20T08:00:00Z", "customer": "Bo"}'),
      (8, 'ASSIGNED', '{"orderNo": 8, "placedAt": "2026-11-20T08:00:00Z", "customer": "Cy"}');
    -- Cancelling is refused for order 8: the dispatch service guards its rows with a trigger.
    CREATE FUNCTION refuse_cancel() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'deliveries of order % are locked by the courier app', OLD.order_no; END $$;
    CREATE TRIGGER refuse_cancel BEFORE UPDATE ON delivery FOR EACH ROW WHEN (OLD.order_no = 8)
      EXECUTE FUNCTION refuse_cancel();`);
});

afterAll(async () => {
  await Promise.all([orders?.end(), dispatch?.end()]);
  await env?.destroy();
});

function portsOver(ordersPool: pg.Pool, published: string[] = []): RepairPorts {
  const flow = makeFlow();
  return {
    orders: createOrdersRepairDb({ orders: ordersPool, outbox: null }, flow, { orders: UTC, outbox: null }),
    dispatch: createDispatchRepairDb({ dispatch, inbox: null }, flow, UTC, async () => 'integer'),
    deadLetters: { get: async () => null, settle: async () => false },
    publisher: {
      async publish(message) {
        published.push(message.messageId);
        return { status: 'confirmed' };
      },
    },
    messageRoute: { exchange: 'orders', routingKey: 'order.created', headers: {}, messageIdHeader: null },
    madeUpStatus: 'RECOVERED',
    maxReplays: 3,
    deadLetterQueues: [],
  };
}

function press(action: 'make-up-order' | 'cancel-dispatch', orderId: string, ports: RepairPorts) {
  const finding = {
    id: `dispatch-without-order:${orderId}`,
    kind: 'dispatch-without-order',
    key: orderId,
    evidence: { orderId, liveDispatchCount: 1, oldestDispatchAt: '2026-11-20T08:00:05.000Z' },
  } as unknown as Finding;
  const record = { id: `a-${action}-${orderId}`, action, messageId: null, reason: 'test' } as unknown as ActionRecord;
  return runRepair(record, finding, ports, { isRetry: false });
}

describe('a repair the watched database refuses', () => {
  it('make-up-order fails with the database words when a required column is not mapped, and inserts nothing', async () => {
    const outcome = await press('make-up-order', '7', portsOver(orders));

    expect(outcome.status).toBe('failed');
    expect(outcome.detail).toContain('null value in column "channel"');
    expect(outcome.detail).toContain('SQLSTATE 23502');
    expect((await orders.query('SELECT 1 FROM purchase_order')).rowCount).toBe(0);
  });

  it('cancel-dispatch fails with the trigger message, and the delivery stays live', async () => {
    const outcome = await press('cancel-dispatch', '8', portsOver(orders));

    expect(outcome).toMatchObject({ status: 'failed' });
    expect(outcome.detail).toContain('deliveries of order 8 are locked by the courier app');
    const { rows } = await dispatch.query('SELECT state FROM delivery WHERE order_no = 8');
    expect(rows).toEqual([{ state: 'ASSIGNED' }]);
  });

  it('is in doubt when the database did not answer at all', async () => {
    const unreachable = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/nowhere' });
    try {
      const outcome = await press('make-up-order', '7', portsOver(unreachable));
      expect(outcome.status).toBe('in-doubt');
    } finally {
      await unreachable.end();
    }
  });

  it('is in doubt when the refusal comes after the repair published: the message went out', async () => {
    const messageId = '6f1c1a52-8f0e-4d7e-9a39-5a1b6a0f0c11';
    await orders.query(`
      CREATE TABLE outbox (id bigserial PRIMARY KEY, message_id uuid NOT NULL UNIQUE, aggregate_id uuid NOT NULL,
        event_type text NOT NULL, payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz, confirmed_at timestamptz, attempts int NOT NULL DEFAULT 0, last_error text);
      INSERT INTO outbox (message_id, aggregate_id, event_type, payload)
        VALUES ('${messageId}', gen_random_uuid(), 'order.created', '{"orderId": 1}');
      CREATE FUNCTION refuse_mark() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'outbox rows are written by the relay only'; END $$;
      CREATE TRIGGER refuse_mark BEFORE UPDATE ON outbox FOR EACH ROW EXECUTE FUNCTION refuse_mark();`);
    const reference = makeReferenceFlow();
    const flow = { ...makeFlow(), outbox: reference.outbox };
    const published: string[] = [];
    const ports = {
      ...portsOver(orders, published),
      orders: createOrdersRepairDb({ orders, outbox: orders }, flow, { orders: UTC, outbox: UTC }),
    };
    const finding = {
      id: `stuck-outbox:${messageId}`,
      kind: 'stuck-outbox',
      key: messageId,
      evidence: { messageId, orderId: null, eventType: 'order.created', createdAt: new Date().toISOString() },
    } as unknown as Finding;
    const record = {
      id: 'a-republish',
      action: 'republish',
      messageId: null,
      reason: 'test',
    } as unknown as ActionRecord;

    const outcome = await runRepair(record, finding, ports, { isRetry: false });

    expect(published).toEqual([messageId]);
    expect(outcome.status).toBe('in-doubt');
    expect(outcome.detail).toContain('outbox rows are written by the relay only');
  });
});
