import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TimelinePort } from '../../reconcilers/ports/timeline.ts';
import { createApp } from '../../server/http/app.ts';
import { createMetrics } from '../../server/metrics/registry.ts';
import { createMetricsState } from '../../server/metrics/state.ts';
import { createPgStore } from '../../server/store/pg-store.ts';
import { createUserStore } from '../../server/store/user-store.ts';
import { writeJudgements } from '../support/judgement-builders.ts';
import { createReconDb, type ReconDb } from '../support/recon-db.ts';
import { addUserTo } from '../support/users.ts';

// The order timeline: findings from the real store, order rows from a hand-written port (an input, not the
// thing under test), merged into one time-ordered list.
const T0 = new Date(Date.now() - 30 * 60_000);
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const orderId = randomUUID();
const messageId = randomUUID();

let db: ReconDb;
let app: ReturnType<typeof createApp>;
/** Every /api/ read needs a signed-in viewer. */
let viewer: string;
let ordersDown = false;

// The history as the port hands it over: each row's mapped facts, and its columns whole. (The adapter's mapping of a
// real schema, the reference one or another, is tested in timeline-mapping.test.ts.)
const timeline: TimelinePort = {
  keyFamily: async () => 'uuid',
  async orderHistory() {
    if (ordersDown) return { unavailable: ['orders'] };
    return {
      order: { id: orderId, status: 'placed', createdAt: at(0), updatedAt: at(0), columns: { id: orderId } },
      outbox: [
        {
          messageId,
          eventType: 'order.created',
          createdAt: at(0),
          publishedAt: at(200),
          confirmedAt: at(201),
          attempts: 1,
          columns: {},
        },
      ],
      dispatches: [
        {
          id: '7',
          courier: 'c-1',
          messageId,
          status: 'assigned',
          createdAt: at(202),
          updatedAt: at(202),
          columns: { id: 7, courier: 'c-1' },
        },
      ],
    };
  },
};

beforeAll(async () => {
  db = await createReconDb('http_timeline');
  const store = createPgStore(db.pool);
  // The outbox row was stuck for a while (opened at +120 s) until the relay finally published it (resolved at +300 s).
  const stuck = {
    kind: 'stuck-outbox',
    key: messageId,
    severity: 'warning',
    evidence: { orderId, messageId },
  } as const;
  await writeJudgements(store, [{ ...stuck, verdict: 'mismatch' }], at(120));
  await writeJudgements(store, [{ ...stuck, verdict: 'ok' }], at(300));
  const users = createUserStore(db.pool);
  viewer = await addUserTo(users, 'vera', 'viewer');
  app = createApp({ store, metrics: createMetrics(createMetricsState()), timeline, isReady: async () => true, users });
});

afterAll(() => db?.destroy());

const read = (path: string) => app.request(path, { headers: { authorization: viewer } });

interface Timeline {
  orderId: string;
  order: unknown;
  findings: Array<{ id: string }>;
  events: Array<{ at: string; source: string; type: string; detail: Record<string, unknown> }>;
  unavailable: string[];
}

describe('GET /api/orders/:orderId/timeline', () => {
  it('merges order, outbox, dispatch and findings into one time-ordered list', async () => {
    const res = await read(`/api/orders/${orderId}/timeline`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Timeline;
    expect(body.orderId).toBe(orderId);
    expect(body.findings.map((f) => f.id)).toEqual([`stuck-outbox:${messageId}`]);
    expect(body.events.map((e) => `${e.source}.${e.type}`)).toEqual([
      'order.created',
      'outbox.created',
      'finding.opened',
      'outbox.published',
      'outbox.confirmed',
      'dispatch.assigned',
      'finding.resolved',
    ]);
    expect(body.events.map((e) => e.at)).toEqual([0, 0, 120, 200, 201, 202, 300].map((s) => at(s).toISOString()));
    expect(body.events[5]?.detail).toMatchObject({ courier: 'c-1', messageId });
    expect(body.unavailable).toEqual([]);
  });

  it('accepts an upper-case uuid and answers for the lower-case one', async () => {
    const res = await read(`/api/orders/${orderId.toUpperCase()}/timeline`);
    expect(((await res.json()) as Timeline).orderId).toBe(orderId);
  });

  it("answers 400 naming orderId, and why, when it cannot be one of this uuid-keyed system's ids", async () => {
    const res = await read('/api/orders/42/timeline');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: {
        message: expect.stringContaining('orderId'),
        details: [{ parameter: 'orderId', message: expect.stringContaining('not a lower-case uuid') }],
      },
    });
  });

  it('still shows findings, and says which source could not be read, when a database is down', async () => {
    ordersDown = true;
    try {
      const res = await read(`/api/orders/${orderId}/timeline`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as Timeline;
      expect(body.unavailable).toEqual(['orders']);
      expect(body.order).toBeNull();
      expect(body.events.map((e) => e.type)).toEqual(['opened', 'resolved']);
    } finally {
      ordersDown = false;
    }
  });
});
