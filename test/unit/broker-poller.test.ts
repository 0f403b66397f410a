import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { ManagementPort } from '../../reconcilers/broker-types.ts';
import { type BrokerPoller, startBrokerPoller } from '../../server/broker-poller.ts';
import { createMetrics } from '../../server/metrics/registry.ts';
import { createMetricsState } from '../../server/metrics/state.ts';
import { createSourceHealthTracker } from '../../server/source-health.ts';
import { makeQueue, QUEUE } from '../support/broker-builders.ts';

function setup({ isLeader = true } = {}) {
  const state = { isDown: false, calls: 0, judged: 0 };
  const api: ManagementPort = {
    async overview() {
      state.calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (state.isDown) throw new Error('GET /api/overview failed', { cause: new Error('connect ECONNREFUSED') });
      return { version: '3.10.8', queueTotals: {}, objectTotals: { channels: 0 }, counters: {} };
    },
    watchedQueues: async () => [makeQueue({ ready: 2, unacked: 5, counters: { ack: state.calls } })],
    channels: async () => [],
    consumers: async () => [],
  };
  const store = {
    applyJudgements: async () => ({ opened: 0, resolved: 0 }),
    openFindingKeys: async () => {
      state.judged += 1;
      return [];
    },
  };
  const metricsState = createMetricsState();
  const metrics = createMetrics(metricsState);
  const health = createSourceHealthTracker(['rabbitmq']);
  const poller = startBrokerPoller({
    config: {
      vhost: '/',
      watchedQueues: [QUEUE],
      brokerPollIntervalMs: 60_000,
      brokerStuckPolls: 3,
      managementTimeoutMs: 1_000,
    },
    api,
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
});
