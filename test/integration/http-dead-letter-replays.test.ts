import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeadLetterRecord } from '../../reconcilers/ports/dead-letters.ts';
import { createApp } from '../../server/http/app.ts';
import { createMetrics } from '../../server/metrics/registry.ts';
import { createMetricsState } from '../../server/metrics/state.ts';
import { createActionStore } from '../../server/store/action-store.ts';
import { createDeadLetterStore } from '../../server/store/dead-letter-store.ts';
import { createPgStore } from '../../server/store/pg-store.ts';
import { createUserStore } from '../../server/store/user-store.ts';
import { checkedAgainstOpenApi } from '../support/openapi.ts';
import { createReconDb, type ReconDb } from '../support/recon-db.ts';
import { addUserTo } from '../support/users.ts';

// A redriven poison letter dies again and comes back as a new letter (key `…#replay-N`, header x-recon-replay-count):
// its page must say which letter it replays and which action redrove it, so the operator sees the loop.
let db: ReconDb;
let app: ReturnType<typeof createApp>;
let viewer: string;
const ids: Record<string, string> = {};
const actionIds: Record<string, string> = {};
const messageId = randomUUID();
/** A redrive of a letter without a message id publishes with its action's own id. */
const actionMessageId = randomUUID();

const record = (key: string, id: string | null, replay: number): DeadLetterRecord => ({
  queue: 'dispatch.order-created.dlq',
  messageId: id,
  dedupeKey: key,
  body: Buffer.from('not json'),
  bodySize: 8,
  bodyTruncated: false,
  isParseable: false,
  contentType: null,
  properties: {},
  headers: replay > 0 ? { 'x-recon-replay-count': replay } : {},
  headerEntries: replay > 0 ? 1 : 0,
  headerEntriesOmitted: 0,
  xDeath: [],
  reason: 'rejected',
  deathCount: 1,
  originExchange: 'orders',
  originRoutingKeys: ['order.created'],
  firstDeathQueue: 'dispatch.order-created',
  orderId: null,
});

beforeAll(async () => {
  db = await createReconDb('http_dl_replays');
  const deadLetters = createDeadLetterStore(db.pool);
  const actions = createActionStore(db.pool);
  const store = async (name: string, key: string, id: string | null, replay: number) => {
    const outcome = await deadLetters.storeDeadLetter(record(key, id, replay));
    ids[name] = outcome.id;
  };
  const redrive = async (name: string, actor: string, publishedId = randomUUID()) => {
    const claimed = await actions.claim({
      id: randomUUID(),
      action: 'redrive',
      findingId: `dead-letter:${name}`,
      target: `dead-letter:${ids[name]}`,
      actor,
      role: 'operator',
      reason: 'consumer fixed',
      idempotencyKey: randomUUID(),
      requestHash: 'h',
      messageId: publishedId,
      leaseMs: 30_000,
      holdMs: 0,
      settledHoldMs: 0,
      findingOpenedAt: new Date(Date.now() - 60_000),
    });
    if (claimed.kind !== 'claimed') throw new Error(`claim: ${claimed.kind}`);
    await actions.settle(claimed.action.id, { status: 'done', detail: 'confirmed' }, 'outcome', 0);
    actionIds[name] = claimed.action.id;
  };
  await store('first', messageId, messageId, 0);
  await redrive('first', 'oncall');
  await store('second', `${messageId}#replay-1`, messageId, 1);
  await redrive('second', 'dana');
  await store('third', `${messageId}#replay-2`, messageId, 2);
  await store('anonymous', `sha256:${'a'.repeat(64)}`, null, 0);
  await redrive('anonymous', 'oncall', actionMessageId);
  await store('anonymousReplay', `${actionMessageId}#replay-1`, actionMessageId, 1);

  const users = createUserStore(db.pool);
  viewer = await addUserTo(users, 'vera', 'viewer');
  app = createApp({
    store: createPgStore(db.pool),
    deadLetters,
    metrics: createMetrics(createMetricsState()),
    // No order is read here: the timeline port is only a required dependency.
    timeline: { keyFamily: async () => 'uuid' as const, orderHistory: async () => ({ unavailable: [] }) },
    isReady: async () => true,
    users,
  });
});

afterAll(() => db?.destroy());

const replayOf = async (name: string) => {
  const path = `/api/dead-letters/${ids[name]}`;
  const res = await checkedAgainstOpenApi('GET', path, await app.request(path, { headers: { authorization: viewer } }));
  expect(res.status).toBe(200);
  return ((await res.json()) as { replay: unknown }).replay;
};

describe('GET /api/dead-letters/:id links a replay to the letter it replays', () => {
  it('says a letter that was never redriven is no replay', async () => {
    expect(await replayOf('first')).toBeNull();
  });

  it('names the first letter and the redrive that sent this copy', async () => {
    expect(await replayOf('second')).toEqual({
      number: 1,
      firstLetterId: ids.first,
      previousLetterId: ids.first,
      action: { id: actionIds.first, actor: 'oncall', status: 'done' },
    });
  });

  it('follows a second replay back to the same first letter', async () => {
    expect(await replayOf('third')).toEqual({
      number: 2,
      firstLetterId: ids.first,
      previousLetterId: ids.second,
      action: { id: actionIds.second, actor: 'dana', status: 'done' },
    });
  });

  it("finds the first letter of a message without an id through its redrive's message id", async () => {
    expect(await replayOf('anonymousReplay')).toEqual({
      number: 1,
      firstLetterId: ids.anonymous,
      previousLetterId: ids.anonymous,
      action: { id: actionIds.anonymous, actor: 'oncall', status: 'done' },
    });
  });
});
