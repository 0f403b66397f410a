import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Judgement } from '../../reconcilers/vocabulary.ts';
import { createApp } from '../../server/http/app.ts';
import type { ErrorJson } from '../../server/http/wire.ts';
import { createMetrics } from '../../server/metrics/registry.ts';
import { createMetricsState } from '../../server/metrics/state.ts';
import { createPgStore } from '../../server/store/pg-store.ts';
import { createUserStore } from '../../server/store/user-store.ts';
import { writeJudgements } from '../support/judgement-builders.ts';
import { checkedAgainstOpenApi } from '../support/openapi.ts';
import { createReconDb, type ReconDb } from '../support/recon-db.ts';
import { addUserTo } from '../support/users.ts';

// The findings API against the real store on a real PostgreSQL, in a database of this file's own.
const T0 = new Date(Date.now() - 10 * 60_000);
const orderIds = Array.from({ length: 5 }, () => randomUUID());

let db: ReconDb;
let app: ReturnType<typeof createApp>;
/** Every /api/ read needs a signed-in viewer. */
let viewer: string;

const judge = (kind: Judgement['kind'], key: string, verdict: Judgement['verdict']): Judgement => ({
  kind,
  key,
  verdict,
  severity: 'warning',
  evidence: { orderId: key },
});

beforeAll(async () => {
  db = await createReconDb('http_findings');
  const store = createPgStore(db.pool);
  // Four order-without-dispatch (the first one resolved a minute later) and one dispatch-without-order.
  await writeJudgements(
    store,
    [
      ...orderIds.slice(0, 4).map((id) => judge('order-without-dispatch', id, 'mismatch')),
      judge('dispatch-without-order', orderIds[4]!, 'mismatch'),
    ],
    T0,
  );
  await writeJudgements(store, [judge('order-without-dispatch', orderIds[0]!, 'ok')], new Date(T0.getTime() + 60_000));
  const timeline = {
    keyFamily: async () => 'uuid' as const,
    orderHistory: async () => ({ order: null, outbox: [], dispatches: [] }),
  };
  const users = createUserStore(db.pool);
  viewer = await addUserTo(users, 'vera', 'viewer');
  app = createApp({ store, metrics: createMetrics(createMetricsState()), timeline, isReady: async () => true, users });
});

afterAll(() => db?.destroy());

interface Page {
  items: Array<{ id: string; key: string; kind: string; state: string; firstSeenAt: string }>;
  nextCursor: string | null;
}
const read = async (path: string) =>
  checkedAgainstOpenApi('GET', path, await app.request(path, { headers: { authorization: viewer } }));
const get = async (path: string) => {
  const res = await read(path);
  return { status: res.status, body: (await res.json()) as Page & Partial<ErrorJson> };
};

describe('GET /api/findings', () => {
  it('lists open findings by default, with dates as ISO strings', async () => {
    const { status, body } = await get('/api/findings');
    expect(status).toBe(200);
    expect(body.items.map((f) => f.key).sort()).toEqual(orderIds.slice(1).sort());
    expect(body.items.every((f) => f.state === 'open')).toBe(true);
    expect(body.items[0]?.firstSeenAt).toBe(T0.toISOString());
  });

  it('filters by kind, state and free text', async () => {
    const byKind = await get('/api/findings?kind=dispatch-without-order');
    expect(byKind.body.items.map((f) => f.key)).toEqual([orderIds[4]]);
    const resolved = await get('/api/findings?state=resolved');
    expect(resolved.body.items.map((f) => f.key)).toEqual([orderIds[0]]);
    const all = await get('/api/findings?state=all&kind=order-without-dispatch');
    expect(all.body.items).toHaveLength(4);
    const byText = await get(`/api/findings?state=all&q=${orderIds[2]}`);
    expect(byText.body.items.map((f) => f.key)).toEqual([orderIds[2]]);
  });

  it('treats empty parameters as no filter', async () => {
    const { status, body } = await get('/api/findings?kind=&q=&cursor=');
    expect(status).toBe(200);
    expect(body.items).toHaveLength(4);
  });

  it.each([
    ['kind=not-a-kind', 'kind'],
    ['state=closed', 'state'],
    ['limit=0', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=501', 'limit'],
    ['cursor=not-a-cursor', 'cursor'],
  ])('answers 400 naming the parameter for %s', async (query, parameter) => {
    const { status, body } = await get(`/api/findings?${query}`);
    expect(status).toBe(400);
    expect(body.error?.message).toContain(parameter);
    expect(body.error?.details).toEqual([expect.objectContaining({ parameter })]);
  });

  it('pages through every finding exactly once with the cursor', async () => {
    const seen: string[] = [];
    let path: string | null = '/api/findings?state=all&limit=2';
    while (path) {
      const { status, body } = await get(path);
      expect(status).toBe(200);
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items.map((f) => f.id));
      path = body.nextCursor ? `/api/findings?state=all&limit=2&cursor=${encodeURIComponent(body.nextCursor)}` : null;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
  });
});

describe('GET /api/findings/:id', () => {
  it('returns one finding by its id', async () => {
    const id = `dispatch-without-order:${orderIds[4]}`;
    const res = await read(`/api/findings/${encodeURIComponent(id)}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id, kind: 'dispatch-without-order', state: 'open', resolvedAt: null });
  });

  it('answers 404 with a JSON error for an id it does not hold', async () => {
    const res = await read(`/api/findings/stuck-outbox:${randomUUID()}`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not-found', message: expect.stringContaining('no finding') } });
  });

  it('answers 400 for something that is not a finding id', async () => {
    const res = await read('/api/findings/hello');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { details: [{ parameter: 'id' }] } });
  });
});
