import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeadLetterRecord } from '../../reconcilers/ports/dead-letters.ts';
import { createApp } from '../../server/http/app.ts';
import { createMetrics } from '../../server/metrics/registry.ts';
import { createMetricsState } from '../../server/metrics/state.ts';
import { createDeadLetterStore } from '../../server/store/dead-letter-store.ts';
import { createPgStore } from '../../server/store/pg-store.ts';
import { createUserStore } from '../../server/store/user-store.ts';
import { checkedAgainstOpenApi } from '../support/openapi.ts';
import { createReconDb, type ReconDb } from '../support/recon-db.ts';
import { addUserTo } from '../support/users.ts';

// "Order id, message id or body text": an operator pastes the order id they can read in a poison letter's body and
// expects that letter, whatever the body is (text, cut short, not UTF-8, holding NUL bytes).
const orderId = randomUUID();
let db: ReconDb;
let app: ReturnType<typeof createApp>;
let viewer: string;

const letter = (messageId: string, body: Buffer, isParseable: boolean): DeadLetterRecord => ({
  queue: 'dispatch.order-created.dlq',
  messageId,
  dedupeKey: messageId,
  body,
  bodySize: body.length,
  bodyTruncated: false,
  isParseable,
  contentType: null,
  properties: {},
  headers: {},
  headerEntries: 0,
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
  db = await createReconDb('http_dl_search');
  const deadLetters = createDeadLetterStore(db.pool);
  const bytes = (...parts: Array<string | number[]>) =>
    Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));
  await deadLetters.storeDeadLetter(letter('text', Buffer.from(`orderId=${orderId}; not JSON`), false));
  await deadLetters.storeDeadLetter(letter('binary', bytes([0xff, 0x00], `ORDER ${orderId}`, [0xc3]), false));
  await deadLetters.storeDeadLetter(letter('unicode', Buffer.from('{"note":"Bestellung für Köln"'), false));
  await deadLetters.storeDeadLetter(letter('other', Buffer.from('nothing to see'), false));
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

const search = async (q: string) => {
  const path = `/api/dead-letters?q=${encodeURIComponent(q)}`;
  const res = await checkedAgainstOpenApi('GET', path, await app.request(path, { headers: { authorization: viewer } }));
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Array<{ messageId: string }> }).items.map((l) => l.messageId).sort();
};

describe('GET /api/dead-letters?q= in bodies that do not parse', () => {
  it('finds an order id inside a text body and inside a body that is not UTF-8', async () => {
    expect(await search(orderId)).toEqual(['binary', 'text']);
  });

  it('matches ASCII letters in any case', async () => {
    expect(await search(orderId.toUpperCase())).toEqual(['binary', 'text']);
    expect(await search(`order ${orderId.slice(0, 8)}`)).toEqual(['binary']);
  });

  it('finds non-ASCII text as written', async () => {
    expect(await search('für Köln')).toEqual(['unicode']);
  });

  it('finds nothing for text no body holds, and treats % and _ as text', async () => {
    expect(await search(randomUUID())).toEqual([]);
    expect(await search('%')).toEqual([]);
    expect(await search('orderId_')).toEqual([]);
  });
});
