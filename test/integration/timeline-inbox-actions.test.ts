import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionService } from '../../server/actions/action-service.ts';
import type { BulkActions } from '../../server/actions/bulk-actions.ts';
import { createTimelineDb } from '../../server/adapters/flow/timeline-db.ts';
import { createApp } from '../../server/http/app.ts';
import { createMetrics } from '../../server/metrics/registry.ts';
import { createMetricsState } from '../../server/metrics/state.ts';
import { createActionStore } from '../../server/store/action-store.ts';
import type { ActionIntent } from '../../server/store/action-types.ts';
import { createBulkStore } from '../../server/store/bulk-store.ts';
import { migrateStore } from '../../server/store/migrate.ts';
import { createPgStore } from '../../server/store/pg-store.ts';
import { createUserStore } from '../../server/store/user-store.ts';
import { loadWatchedSystem } from '../../server/watched-system/load-watched-system.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { writeJudgements } from '../support/judgement-builders.ts';
import { checkedAgainstOpenApi } from '../support/openapi.ts';
import { addUserTo } from '../support/users.ts';

// "The dispatch service never got it" and "the dispatch was cancelled" must read differently on an order's timeline:
// the consumer's inbox says whether the message was processed, a cancelled dispatch says so, and Recon's own actions
// on the order sit between them. All through a configured mapping whose names are not the reference system's.
const T0 = new Date(Date.now() - 2 * 3600_000);
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const orderId = randomUUID();
const messageId = randomUUID();
const lostOrderId = randomUUID();
const lostMessageId = randomUUID();

const watchedFile = `
databases:
  shop: { url: "\${SHOP_DB}" }
  delivery: { url: "\${DELIVERY_DB}" }
broker: { url: "amqp://guest:guest@127.0.0.1:5672", management: "http://guest:guest@127.0.0.1:15672" }
flows:
  - name: orders
    order: { database: shop, table: orders, id: id, createdAt: created_at, updatedAt: null, status: null }
    outbox:
      database: shop
      table: events
      messageId: msg_id
      orderId: { column: order_ref }
      createdAt: written_at
      publishedAt: sent_at
      confirmedAt: acked_at
      eventType: null
      attempts: null
      lastError: null
      payload: null
    message: { exchange: orders, routingKey: order.created }
    dispatch: { database: delivery, table: delivery, id: delivery_id, orderId: purchase, messageId: msg,
                status: state, cancelledStatuses: [CANCELLED], createdAt: assigned_at, updatedAt: changed_at }
    inbox: { table: consumed, messageId: { column: msg }, processedAt: seen_at }
    deadLetterQueues: []
`;

let env: IsolatedEnv;
let pools: { orders: pg.Pool; dispatch: pg.Pool; recon: pg.Pool };
let app: ReturnType<typeof createApp>;
let viewer: string;
let actionId: string;

beforeAll(async () => {
  env = await createIsolatedEnv('timeline_inbox');
  pools = {
    orders: new pg.Pool({ connectionString: env.ordersDatabaseUrl, max: 3 }),
    dispatch: new pg.Pool({ connectionString: env.dispatchDatabaseUrl, max: 3 }),
    recon: new pg.Pool({ connectionString: env.reconDatabaseUrl, max: 3 }),
  };
  await pools.orders.query(`
    CREATE TABLE orders (id uuid PRIMARY KEY, created_at timestamptz NOT NULL);
    CREATE TABLE events (msg_id uuid PRIMARY KEY, order_ref uuid NOT NULL, written_at timestamptz NOT NULL,
      sent_at timestamptz, acked_at timestamptz);`);
  await pools.dispatch.query(`
    CREATE TABLE delivery (delivery_id bigserial PRIMARY KEY, purchase uuid NOT NULL, msg uuid, state text,
      assigned_at timestamptz NOT NULL, changed_at timestamptz NOT NULL);
    CREATE TABLE consumed (msg uuid PRIMARY KEY, seen_at timestamp NOT NULL);`);
  for (const [order, message] of [
    [orderId, messageId],
    [lostOrderId, lostMessageId],
  ]) {
    await pools.orders.query('INSERT INTO orders VALUES ($1, $2)', [order, at(0)]);
    await pools.orders.query('INSERT INTO events VALUES ($1, $2, $3, $4, $5)', [message, order, at(0), at(5), at(6)]);
  }
  // The first order reached the consumer (inbox at +8, a timestamp without zone: read as UTC) and its dispatch was
  // cancelled at +300; the second never reached it (no inbox record, no dispatch).
  await pools.dispatch.query("INSERT INTO consumed VALUES ($1, $2 AT TIME ZONE 'UTC')", [messageId, at(8)]);
  await pools.dispatch.query(
    'INSERT INTO delivery (purchase, msg, state, assigned_at, changed_at) VALUES ($1, $2, $3, $4, $5)',
    [orderId, messageId, 'CANCELLED', at(10), at(300)],
  );

  await migrateStore(pools.recon);
  const store = createPgStore(pools.recon);
  await writeJudgements(
    store,
    [
      {
        kind: 'order-without-dispatch',
        key: orderId,
        verdict: 'mismatch',
        severity: 'critical',
        evidence: { orderId },
      },
    ],
    at(400),
  );
  const actions = createActionStore(pools.recon);
  actionId = await redeliverDone(actions);
  const users = createUserStore(pools.recon);
  viewer = await addUserTo(users, 'vera', 'viewer');
  app = createApp({
    store,
    metrics: createMetrics(createMetricsState()),
    timeline: timelineOf(),
    isReady: async () => true,
    users,
    // Only the store is read by the timeline; nothing here posts an action.
    actions: {
      store: actions,
      service: {} as ActionService,
      bulk: {} as BulkActions,
      bulks: createBulkStore(pools.recon),
      operatorMaxBulkItems: 10,
    },
  });
});

/** An operator's redeliver on the order, settled done: its message (a new id) reached the consumer's inbox. */
async function redeliverDone(actions: ReturnType<typeof createActionStore>): Promise<string> {
  const intent: ActionIntent = {
    id: randomUUID(),
    action: 'redeliver',
    findingId: `order-without-dispatch:${orderId}`,
    target: `order:${orderId}`,
    actor: 'oncall',
    role: 'operator',
    reason: 'customer waiting',
    idempotencyKey: randomUUID(),
    requestHash: 'h',
    messageId: randomUUID(),
    leaseMs: 30_000,
    holdMs: 60_000,
    settledHoldMs: 30_000,
    findingOpenedAt: at(400),
  };
  const claimed = await actions.claim(intent);
  if (claimed.kind !== 'claimed') throw new Error(`claim: ${claimed.kind}`);
  await actions.settle(claimed.action.id, { status: 'done', detail: 'published, confirmed' }, 'outcome', 0);
  await pools.dispatch.query("INSERT INTO consumed VALUES ($1, now() AT TIME ZONE 'UTC' + interval '1 second')", [
    intent.messageId,
  ]);
  return claimed.action.id;
}

function timelineOf() {
  const { flow, databases } = loadWatchedSystem(
    { RECON_CONFIG: 'recon.yaml', SHOP_DB: env.ordersDatabaseUrl, DELIVERY_DB: env.dispatchDatabaseUrl },
    () => watchedFile,
  );
  return createTimelineDb(
    { orders: pools.orders, dispatch: pools.dispatch, outbox: pools.orders, inbox: pools.dispatch },
    flow,
    { orders: databases.shop!, dispatch: databases.delivery!, outbox: databases.shop!, inbox: databases.delivery! },
    async () => 'uuid' as const,
  );
}

afterAll(async () => {
  await Promise.all(Object.values(pools ?? {}).map((pool) => pool.end()));
  await env?.destroy();
});

type Event = { at: string; source: string; type: string; detail: Record<string, unknown> };
const readEvents = async (id: string) => {
  const path = `/api/orders/${id}/timeline`;
  const res = await checkedAgainstOpenApi('GET', path, await app.request(path, { headers: { authorization: viewer } }));
  expect(res.status).toBe(200);
  return ((await res.json()) as { events: Event[] }).events;
};
const names = (events: Event[]) => events.map((e) => `${e.source}.${e.type}`);

describe("the order timeline: the consumer's inbox, cancelled dispatches and Recon's actions", () => {
  it('shows the inbox record of the order message, at its time', async () => {
    const events = await readEvents(orderId);
    const inbox = events.filter((e) => e.source === 'inbox');
    expect(inbox[0]).toEqual({ at: at(8).toISOString(), source: 'inbox', type: 'processed', detail: { messageId } });
  });

  it('shows a cancelled dispatch as cancelled, not merely updated', async () => {
    const events = await readEvents(orderId);
    expect(names(events).slice(0, 7)).toEqual([
      'order.created',
      'outbox.created',
      'outbox.published',
      'outbox.confirmed',
      'inbox.processed',
      'dispatch.assigned',
      'dispatch.cancelled',
    ]);
    expect(events[6]).toMatchObject({ at: at(300).toISOString(), detail: { dispatchId: '1', status: 'CANCELLED' } });
  });

  it("shows Recon's action on the order, requested and settled, and its message reaching the inbox", async () => {
    const events = await readEvents(orderId);
    expect(names(events).slice(7)).toEqual(['finding.opened', 'action.requested', 'action.done', 'inbox.processed']);
    expect(events[8]?.detail).toMatchObject({ actionId, action: 'redeliver', actor: 'oncall' });
    expect(events[9]?.detail).toMatchObject({ actionId, action: 'redeliver', detail: 'published, confirmed' });
  });

  it('shows no inbox record and no dispatch for an order whose message never reached the consumer', async () => {
    const events = await readEvents(lostOrderId);
    expect(names(events)).toEqual(['order.created', 'outbox.created', 'outbox.published', 'outbox.confirmed']);
  });
});
