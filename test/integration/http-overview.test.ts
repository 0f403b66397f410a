import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FINDING_KINDS } from '../../reconcilers/registry.ts';
import { type AppDeps, createApp } from '../../server/http/app.ts';
import type { OverviewJson } from '../../server/http/wire.ts';
import { createMetrics } from '../../server/metrics/registry.ts';
import { createMetricsState } from '../../server/metrics/state.ts';
import { createPgStore } from '../../server/store/pg-store.ts';
import type { ReconStore } from '../../server/store/types.ts';
import { createUserStore, type UserStore } from '../../server/store/user-store.ts';
import { writeJudgements } from '../support/judgement-builders.ts';
import { checkedAgainstOpenApi } from '../support/openapi.ts';
import { createReconDb, type ReconDb } from '../support/recon-db.ts';
import { addUserTo } from '../support/users.ts';

// Overview, sources, health, /metrics and the error edge, against the real store in a database of its own.
const NOW = new Date();
const OPENED = new Date(NOW.getTime() - 10 * 60_000);

let db: ReconDb;
let store: ReconStore;
let users: UserStore;
/** Every /api/ read needs a signed-in viewer. */
let viewer: string;

function makeApp(overrides: Partial<AppDeps> = {}) {
  const timeline = {
    keyFamily: async () => 'uuid' as const,
    orderHistory: async () => ({ order: null, outbox: [], dispatches: [] }),
  };
  const metrics = createMetrics(createMetricsState(() => NOW));
  return createApp({ store, metrics, timeline, isReady: async () => true, now: () => NOW, users, ...overrides });
}
const read = async (path: string, overrides: Partial<AppDeps> = {}) =>
  checkedAgainstOpenApi('GET', path, await makeApp(overrides).request(path, { headers: { authorization: viewer } }));

beforeAll(async () => {
  db = await createReconDb('http_overview');
  store = createPgStore(db.pool, { now: () => NOW });
  users = createUserStore(db.pool);
  viewer = await addUserTo(users, 'vera', 'viewer');
  const key = randomUUID();
  await writeJudgements(
    store,
    [{ kind: 'stuck-outbox', key, verdict: 'mismatch', severity: 'warning', evidence: {} }],
    OPENED,
  );
  await store.recordSourceHealth({
    source: 'orders',
    up: true,
    lastSuccessAt: NOW,
    lastAttemptAt: NOW,
    lastError: null,
  });
});

afterAll(() => db?.destroy());

describe('GET /api/overview', () => {
  it('summarises every kind with its oldest age, the last hour of history and the sources', async () => {
    const res = await read('/api/overview');
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      bucketSeconds: number;
      findings: Array<{ kind: string; open: number; oldestAgeSeconds: number | null }>;
      history: Array<{ at: string; kind: string; open: number }>;
      sources: Array<{ source: string; lastSuccessAt: string }>;
    };
    expect(body.bucketSeconds).toBe(60);
    expect(body.findings.map((f) => f.kind)).toEqual([...FINDING_KINDS]);
    expect(body.findings.find((f) => f.kind === 'stuck-outbox')).toMatchObject({ open: 1, oldestAgeSeconds: 600 });
    expect(body.findings.find((f) => f.kind === 'dead-letter')).toMatchObject({ open: 0, oldestAgeSeconds: null });
    const stuck = body.history.filter((p) => p.kind === 'stuck-outbox');
    expect(stuck.length).toBeGreaterThanOrEqual(59);
    expect(stuck.at(-1)?.open).toBe(1);
    expect(stuck[0]?.open).toBe(0);
    expect(Number.isNaN(Date.parse(stuck[0]?.at ?? ''))).toBe(false);
    expect(body.sources).toEqual([expect.objectContaining({ source: 'orders', lastSuccessAt: NOW.toISOString() })]);
  });

  it('widens the buckets for a day and refuses a window out of range', async () => {
    const day = (await (await read('/api/overview?minutes=1440')).json()) as { bucketSeconds: number };
    expect(day.bucketSeconds).toBe(720);
    const res = await read('/api/overview?minutes=4');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { details: [{ parameter: 'minutes' }] } });
  });

  it('says how often the slowest source is read, when the app was told', async () => {
    const told = (await (await read('/api/overview', { pollIntervalMs: 5_000 })).json()) as OverviewJson;
    expect(told.pollIntervalSeconds).toBe(5);
    const untold = (await (await read('/api/overview')).json()) as OverviewJson;
    expect(untold).not.toHaveProperty('pollIntervalSeconds');
  });

  it('lists source health on /api/sources', async () => {
    const body = (await (await read('/api/sources')).json()) as { sources: Array<{ up: boolean }> };
    expect(body.sources).toEqual([expect.objectContaining({ source: 'orders', up: true, lastError: null })]);
  });
});

describe('health, readiness and metrics', () => {
  it('answers /healthz with 200 whatever the readiness', async () => {
    const res = await makeApp({ isReady: async () => false }).request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true });
  });

  it('answers /readyz with 200 when ready and 503 when not or when the check throws', async () => {
    expect((await makeApp().request('/readyz')).status).toBe(200);
    expect((await makeApp({ isReady: async () => false }).request('/readyz')).status).toBe(503);
    const logger = { error: vi.fn() };
    const throwing = makeApp({ logger, isReady: () => Promise.reject(new Error('db down')) });
    expect((await throwing.request('/readyz')).status).toBe(503);
    expect(logger.error).toHaveBeenCalled();
  });

  it('serves the registry in the Prometheus text format', async () => {
    const res = await makeApp().request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await res.text()).toContain('recon_findings_open{kind="stuck-outbox"}');
  });
});

describe('the error edge', () => {
  it('answers 500 without the error message and logs it', async () => {
    const logger = { error: vi.fn() };
    const leak = new Error('connect to postgres://recon:s3cret@db failed');
    const failing = new Proxy(store, {
      get: (target, name) => (name === 'listSourceHealth' ? () => Promise.reject(leak) : Reflect.get(target, name)),
    });
    const res = await read('/api/sources', { store: failing, logger });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: 'internal error' } });
    expect(text).not.toContain('s3cret');
    expect(logger.error).toHaveBeenCalledWith(expect.objectContaining({ path: '/api/sources' }), 'request failed');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('sets security headers on every response, including 404', async () => {
    for (const path of ['/healthz', '/api/findings', '/api/findings?limit=0', '/nowhere']) {
      const res = await read(path);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('content-security-policy'), path).toContain("script-src 'self'");
    }
    const missing = await makeApp().request('/nowhere');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'not-found', message: 'not found' } });
  });
});
