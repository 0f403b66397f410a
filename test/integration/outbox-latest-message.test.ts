import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboxRepairDb } from '../../server/adapters/flow/outbox-repair-db.ts';
import type { Outbox } from '../../server/watched-system/model.ts';
import { UTC } from '../support/flows.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';

// redeliver names the message it stands in for: the newest outbox row of the order. With the order id inside a
// JSON column, rows are found by a text prefilter and checked in JavaScript; the prefilter must not let rows that
// merely contain the id's digits elsewhere (a total, a timestamp, another order's number) crowd out the order's own.
const outbox: Outbox = {
  preset: 'spring-modulith',
  database: 'orders',
  table: 'event_publication',
  pending: { kind: 'column-null', column: 'completion_date' },
  delayed: null,
  failed: null,
  filter: `listener_id = 'externalizer'`,
  messageId: { column: 'id' },
  orderId: { json: 'serialized_event', path: '$.orderNo' },
  createdAt: 'publication_date',
  eventType: null,
  publishedAt: null,
  attempts: null,
  lastError: null,
  payload: { column: 'serialized_event' },
  headers: null,
  markPublished: null,
};

let env: IsolatedEnv;
let pool: pg.Pool;
const own = randomUUID();
const other = randomUUID();
/** An order id of text that means something in a regular expression. */
const textual = randomUUID();

beforeAll(async () => {
  env = await createIsolatedEnv('outbox_latest');
  pool = new pg.Pool({ connectionString: env.ordersDatabaseUrl, max: 2 });
  await pool.query(`CREATE TABLE event_publication (id uuid PRIMARY KEY, listener_id text NOT NULL,
    serialized_event text NOT NULL, publication_date timestamptz NOT NULL, completion_date timestamptz)`);
  const row = `INSERT INTO event_publication VALUES ($1, 'externalizer', $2, $3, now())`;
  await pool.query(row, [own, JSON.stringify({ orderNo: 41, totalCents: 1200 }), '2026-11-20T08:00:00Z']);
  // Written by another JSON writer: the number as a string, with spaces.
  await pool.query(row, [other, '{ "orderNo" : "77", "totalCents": 1200 }', '2026-11-20T08:00:01Z']);
  await pool.query(row, [textual, JSON.stringify({ orderNo: 'A+1.(x)' }), '2026-11-20T08:00:02Z']);
  // Later orders whose events hold "41" elsewhere: order 141, 410…, totals and times with 41 in them.
  for (let n = 100; n < 200; n++)
    await pool.query(row, [
      randomUUID(),
      JSON.stringify({
        orderNo: n === 141 ? 141 : n + 1000,
        totalCents: 4100 + n,
        placedAt: `2026-11-20T09:41:${n % 60}Z`,
      }),
      new Date(Date.parse('2026-11-20T09:00:00Z') + n * 1000),
    ]);
});

afterAll(async () => {
  await pool?.end();
  await env?.destroy();
});

describe('the latest outbox message of an order whose id is inside JSON', () => {
  it("finds the order's own row behind many later rows that contain its digits", async () => {
    const repair = createOutboxRepairDb(pool, outbox, UTC);
    expect(await repair.latestMessageIdFor('41')).toBe(own);
    expect(await repair.latestMessageIdFor('77')).toBe(other);
    expect(await repair.latestMessageIdFor('A+1.(x)')).toBe(textual);
    expect(await repair.latestMessageIdFor('4')).toBe(null);
  });
});
