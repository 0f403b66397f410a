import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFlowAdapters, type FlowAdapters } from '../../server/flow-adapters.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { loadText } from '../support/watched-system.ts';

// 19-digit snowflake ids (beyond a JavaScript number's 2^53) in what Recon shows and sends: the timeline's rows, a
// republished payload, a redelivered body. Each carries the exact digits the databases hold, in their JSON type.
const ORDER = '1790000000004111297';
const MESSAGE = '1791000000004111297';

const watchedFile = `
databases:
  shop: { url: "\${SHOP_DB}" }
  delivery: { url: "\${DELIVERY_DB}" }
broker: { url: "amqp://guest:guest@127.0.0.1:5672", management: "http://guest:guest@127.0.0.1:15672" }
flows:
  - name: orders
    order: { database: shop, table: shop_order, id: order_no, createdAt: placed_at, updatedAt: null, status: state }
    outbox:
      database: shop
      table: event
      messageId: message_id
      orderId: { json: body, path: "$.data.orderNo" }
      createdAt: written_at
      confirmedAt: sent_at
      payload: { json: body, path: "$.data" }
      eventType: null
      publishedAt: null
      attempts: null
      lastError: null
    message: { exchange: orders, routingKey: order.created, orderIdPath: "$.orderNo",
               body: { orderNo: order_no, state: state } }
    dispatch: { database: delivery, table: delivery, id: id, orderId: order_ref, status: null, createdAt: created_at,
                updatedAt: null }
    inbox: null
    deadLetterQueues: []
`;

let env: IsolatedEnv;
let flow: FlowAdapters;

beforeAll(async () => {
  env = await createIsolatedEnv('long_integers');
  const orders = new pg.Pool({ connectionString: env.ordersDatabaseUrl, max: 1 });
  const dispatch = new pg.Pool({ connectionString: env.dispatchDatabaseUrl, max: 1 });
  await orders.query(`
    CREATE TABLE shop_order (order_no bigint PRIMARY KEY, state text NOT NULL, placed_at timestamptz NOT NULL);
    CREATE TABLE event (message_id text PRIMARY KEY, body text NOT NULL, written_at timestamptz NOT NULL,
      sent_at timestamptz);
    INSERT INTO shop_order VALUES (${ORDER}, 'PAID', '2026-11-20T08:00:00Z');
    INSERT INTO event VALUES ('${MESSAGE}', '{"meta":{"id":${MESSAGE}},"data":{"orderNo":${ORDER},"total":12.50}}',
      '2026-11-20T08:00:00Z', NULL);`);
  await dispatch.query(`
    CREATE TABLE delivery (id bigserial PRIMARY KEY, order_ref varchar(32) NOT NULL, created_at timestamptz NOT NULL);
    INSERT INTO delivery (order_ref, created_at) VALUES ('${ORDER}', '2026-11-20T08:00:01Z');`);
  await Promise.all([orders.end(), dispatch.end()]);
  flow = createFlowAdapters(
    loadText(watchedFile, { SHOP_DB: env.ordersDatabaseUrl, DELIVERY_DB: env.dispatchDatabaseUrl }),
  );
});

afterAll(async () => {
  await flow?.close();
  await env?.destroy();
});

describe('19-digit integers', () => {
  it("shows them exactly in an order's timeline rows", async () => {
    const history = await flow.timeline.orderHistory(ORDER);
    if ('unavailable' in history) throw new Error(`unavailable: ${history.unavailable}`);
    expect(history.order?.columns.order_no).toBe(ORDER);
    expect(history.outbox.map((row) => row.columns.body)).toEqual([expect.stringContaining(`"orderNo":${ORDER}`)]);
    expect(history.dispatches.map((row) => row.columns.order_ref)).toEqual([ORDER]);
  });

  it('republishes a payload inside JSON exactly as it was stored', async () => {
    const row = await flow.repairs.orders.getOutbox(MESSAGE);
    expect(row?.body?.toString()).toBe(`{"orderNo":${ORDER},"total":12.50}`);
  });

  it('redelivers a body whose integer columns are JSON numbers with their exact digits', async () => {
    const order = await flow.repairs.orders.getOrder(ORDER);
    expect(order?.messageBody).toBe(`{"orderNo":${ORDER},"state":"PAID"}`);
  });
});
