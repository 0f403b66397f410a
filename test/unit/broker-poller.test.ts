import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ManagementPort } from '../../reconcilers/ports/broker.ts';
import type { FindingsPort } from '../../reconcilers/ports/findings-store.ts';
import { kindsReading } from '../../reconcilers/registry.ts';
import { type BrokerPoller, startBrokerPoller } from '../../server/broker-poller.ts';
import { createMetrics } from '../../server/metrics/registry.ts';
import { createMetricsState } from '../../server/metrics/state.ts';
import { createSourceHealthTracker } from '../../server/source-health.ts';
import { makeQueue, QUEUE } from '../support/broker-builders.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function setup({
  isLeader = true,
  intervalMs = 60_000,
  timeoutMs = 1_000,
  api: overrides = {},
}: {
  isLeader?: boolean;
  intervalMs?: number;
  timeoutMs?: number;
  api?: Partial<ManagementPort>;
} = {}) {
  const state = { isDown: false, calls: 0, judged: 0 };
  const api: ManagementPort = {
    async overview() {
      state.calls += 1;
      await sleep(20);
      if (state.isDown) throw new Error('GET /api/overview failed', { cause: new Error('connect ECONNREFUSED') });
      return { version: '3.10.8', objectTotals: { channels: 0 } };
    },
    watchedQueues: async () => [makeQueue({ ready: 2, unacked: 5, counters: { ack: state.calls } })],
    channels: async () => [],
    consumers: async () => [],
    ...overrides,
  };
  const store: FindingsPort = {
    writeFindings: async () => ({ opened: 0, resolved: 0 }),
    openFindings: async () => {
      state.judged += 1;
      return [];
    },
    openFindingsByIds: async () => [],
  };
  const metricsState = createMetricsState();
  const metrics = createMetrics(metricsState);
  const health = createSourceHealthTracker(['rabbitmq']);
  const poller = startBrokerPoller({
    config: {
      vhost: '/',
      watchedQueues: [QUEUE],
      brokerPollIntervalMs: intervalMs,
      brokerStuckPolls: 3,
      managementTimeoutMs: timeoutMs,
    },
    api,
    kinds: kindsReading('broker'),
    store,
    health,
    metrics,
    metricsState,
    log: pino({ level: 'silent' }),
    isLeader: () => isLeader,
  });
  return { state, poller, metricsState, metrics, health };
}

let poller: BrokerPoller | undefined;
afterEach(async () => {
  await poller?.stop();
  vi.useRealTimers();
});

describe('the broker poller', () => {
  it('runs one poll at a time: a second caller joins the poll in flight', async () => {
    const s = setup();
    poller = s.poller;
    await poller.pollNow(); // the start-up poll
    const [a, b] = await Promise.all([poller.pollNow(), poller.pollNow()]);
    expect(a).toBe(b);
    expect(s.state.calls).toBe(2);
    expect(poller.polls()).toHaveLength(2);
  });

  it('reports queue depths and source health, and clears the depths when the broker cannot be read', async () => {
    const s = setup();
    poller = s.poller;
    await poller.pollNow();
    expect(s.metricsState.queueMessages).toEqual([
      { queue: QUEUE, state: 'ready', count: 2 },
      { queue: QUEUE, state: 'unacked', count: 5 },
    ]);
    expect(s.health.snapshot()).toEqual([expect.objectContaining({ source: 'rabbitmq', up: true })]);
    s.state.isDown = true;
    const failed = await poller.pollNow();
    expect(failed).toMatchObject({ ok: false, error: expect.stringContaining('ECONNREFUSED') });
    expect(s.metricsState.queueMessages).toEqual([]);
    expect(s.health.snapshot()).toEqual([expect.objectContaining({ source: 'rabbitmq', up: false })]);
    const durations = (await s.metrics.registry.getSingleMetricAsString('recon_poll_duration_seconds')).split('\n');
    expect(durations).toContain('recon_poll_duration_seconds_count{source="rabbitmq"} 2');
  });

  it('judges the polls only on the leader', async () => {
    const follower = setup({ isLeader: false });
    poller = follower.poller;
    await poller.pollNow();
    expect(follower.state.judged).toBe(0);
    await poller.stop();
    const leader = setup();
    poller = leader.poller;
    await poller.pollNow();
    expect(leader.state.judged).toBeGreaterThan(0);
  });

  it('fails a poll whose requests together outlast its budget, though each is within its own timeout', async () => {
    const signals: AbortSignal[] = [];
    const slow = async <T>(value: T, options?: { signal?: AbortSignal }) => {
      if (options?.signal) signals.push(options.signal);
      await sleep(150);
      return value;
    };
    const s = setup({
      timeoutMs: 400,
      api: {
        overview: (o) => slow({ objectTotals: { channels: 2 } }, o),
        watchedQueues: (_v, _n, o) => slow([makeQueue({ counters: {} })], o),
        channels: (_v, o) => slow([], o),
        consumers: (_v, _q, o) => slow([], o),
      },
    });
    poller = s.poller;
    const failed = await poller.pollNow();
    expect(failed).toMatchObject({ ok: false, error: expect.stringContaining('longer than its 400 ms budget') });
    expect(s.health.snapshot()).toEqual([expect.objectContaining({ source: 'rabbitmq', up: false })]);
    // Every request of the poll shared one deadline, and it was called off.
    expect(new Set(signals).size).toBe(1);
    expect(signals[0]!.aborted).toBe(true);
  });

  it('polls no faster than the broker refreshes its statistics (5 s), whatever the configured interval', async () => {
    vi.useFakeTimers();
    const s = setup({ intervalMs: 1_000 });
    poller = s.poller;
    await vi.advanceTimersByTimeAsync(4_500);
    expect(s.state.calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(s.state.calls).toBe(2);
    expect(poller.staleAfterMs).toBe(3 * 5_000 + 1_000);
  });

  it('waits twice as long while the broker statistics database is behind on its events', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const s = setup({
      intervalMs: 5_000,
      api: {
        async overview() {
          calls += 1;
          return { objectTotals: { channels: 0 }, statisticsBacklog: 50_000 };
        },
      },
    });
    poller = s.poller;
    await vi.advanceTimersByTimeAsync(9_000);
    expect(calls).toBe(1);
    expect(poller.polls()).toEqual([expect.objectContaining({ ok: true, statisticsBacklog: 50_000 })]);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(calls).toBe(2);
  });
});
