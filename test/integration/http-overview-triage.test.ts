import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrokerPoll } from '../../reconcilers/snapshots/broker-polls.ts';
import type { BrokerView } from '../../server/broker-poller.ts';
import { type AppDeps, createApp } from '../../server/http/app.ts';
import type { OverviewJson } from '../../server/http/wire.ts';
import { createMetrics } from '../../server/metrics/registry.ts';
import { createMetricsState } from '../../server/metrics/state.ts';
import { createPgStore } from '../../server/store/pg-store.ts';
import type { ReconStore } from '../../server/store/types.ts';
import { createUserStore } from '../../server/store/user-store.ts';
import { makeJudgement, writeJudgements } from '../support/judgement-builders.ts';
import { checkedAgainstOpenApi } from '../support/openapi.ts';
import { createReconDb, type ReconDb } from '../support/recon-db.ts';
import { addUserTo } from '../support/users.ts';

// The overview for triage, through the real store: each kind's change over the last 15 minutes, the queue charts on
// the window asked for (older minutes from the poller's per-minute samples), and the queues that need a look.
const NOW = new Date();
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const QUEUE = 'dispatch.order-created';

let db: ReconDb;
let store: ReconStore;
let viewer: string;

const pollAt = (at: Date, ready: number, consumers: number): BrokerPoll => ({
  at,
  ok: true,
  queues: [{ name: QUEUE, ready, unacked: 0, total: ready, consumers, counters: {}, rates: {} }],
  channels: [],
});
/** Five minutes of polls every 5 s (none consuming, messages waiting) and one sample per minute for the last hour. */
const broker: BrokerView = {
  watchedQueues: [QUEUE],
  staleAfterMs: 20_000,
  polls: () => Array.from({ length: 60 }, (_, i) => pollAt(new Date(NOW.getTime() - (59 - i) * 5_000), 7, 0)),
  minutePolls: () => Array.from({ length: 60 }, (_, i) => pollAt(minutesAgo(60 - i), 3, 1)),
};

function makeApp(overrides: Partial<AppDeps> = {}) {
  const timeline = {
    keyFamily: async () => 'uuid' as const,
    orderHistory: async () => ({ order: null, outbox: [], dispatches: [] }),
  };
  const metrics = createMetrics(createMetricsState(() => NOW));
  const users = createUserStore(db.pool);
  return createApp({
    store,
    metrics,
    timeline,
    isReady: async () => true,
    now: () => NOW,
    users,
    broker,
    ...overrides,
  });
}
const overview = async (path: string) => {
  const res = await checkedAgainstOpenApi(
    'GET',
    path,
    await makeApp().request(path, { headers: { authorization: viewer } }),
  );
  expect(res.status).toBe(200);
  return (await res.json()) as OverviewJson;
};

beforeAll(async () => {
  db = await createReconDb('http_overview_triage');
  store = createPgStore(db.pool, { now: () => NOW });
  viewer = await addUserTo(createUserStore(db.pool), 'vera', 'viewer');
  const letter = (key: string, verdict: 'mismatch' | 'ok' = 'mismatch') =>
    makeJudgement({ kind: 'dead-letter', key, verdict, severity: 'warning' });
  await writeJudgements(store, [letter('old'), letter('gone')], minutesAgo(40));
  await writeJudgements(
    store,
    [letter('gone', 'ok'), letter('new-1'), letter('new-2'), letter('new-3')],
    minutesAgo(5),
  );
  await writeJudgements(store, [makeJudgement({ kind: 'stuck-outbox', key: 'steady' })], minutesAgo(30));
});
afterAll(() => db?.destroy());

describe('the overview for triage', () => {
  it("gives each kind's change over the last 15 minutes, whatever the chart window", async () => {
    for (const minutes of [15, 60, 360]) {
      const body = await overview(`/api/overview?minutes=${minutes}`);
      const byKind = Object.fromEntries(body.findings.map((f) => [f.kind, f]));
      expect(byKind['dead-letter'], `${minutes} min`).toMatchObject({ open: 4, changeLast15Min: 2 });
      expect(byKind['stuck-outbox']).toMatchObject({ open: 1, changeLast15Min: 0 });
      expect(byKind['order-without-dispatch']).toMatchObject({ open: 0, changeLast15Min: 0 });
    }
  });

  it('puts the queue chart on the window asked for: per-minute samples before the recent polls, none older', async () => {
    for (const minutes of [15, 60]) {
      const { queueHistory } = await overview(`/api/overview?minutes=${minutes}`);
      const times = queueHistory.map((p) => Date.parse(p.at));
      expect(Math.min(...times), `${minutes} min`).toBeGreaterThanOrEqual(minutesAgo(minutes).getTime());
      expect(Math.min(...times)).toBeLessThan(minutesAgo(minutes - 2).getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
      // The recent polls are all there, at their own resolution.
      expect(times.filter((t) => t > minutesAgo(5).getTime()).length).toBeGreaterThanOrEqual(59);
    }
  });

  it('refuses a live stream on a window out of range before it opens', async () => {
    const app = makeApp({ events: { intervalMs: 1_000, shutdown: new AbortController().signal } });
    const res = await app.request('/api/events?minutes=4', { headers: { authorization: viewer } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { details: [{ parameter: 'minutes' }] } });
  });

  it('marks a queue with messages ready and no consumer', async () => {
    const { queues } = await overview('/api/overview?minutes=15');
    expect(queues).toEqual([
      expect.objectContaining({ name: QUEUE, ready: 7, consumers: 0, hasReadyWithoutConsumers: true }),
    ]);
    expect(queues[0]!.isBacklogGrowing).toBe(false);
  });
});
