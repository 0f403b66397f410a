import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoHarness, placeOrders, startDemo } from '../support/demo-harness.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { type ReconProcess, spawnRecon } from '../support/recon-process.ts';
import { waitFor } from '../support/wait-for.ts';

// GET /metrics of a real Recon process (its own event loop, heap and GC, as in production) watching the reference
// system with orders flowing: the runtime metrics are there under their standard names, and the number of series
// stays under a fixed bound and does not grow across scrapes and reconciliation cycles. Every series costs
// Prometheus memory for as long as it is retained; one that grows with traffic is an outage waiting to happen.

/**
 * About 80 of Recon's own (here: every kind, four sources, three watched queues) and 90 runtime ones (Node 20):
 * room for more kinds and queues, far below what a label with an order id or a queue per message would make.
 */
const MAX_SERIES = 300;
const RUNTIME_METRICS = [
  'process_cpu_seconds_total',
  'process_resident_memory_bytes',
  'nodejs_eventloop_lag_p99_seconds',
  'nodejs_heap_size_used_bytes',
  'nodejs_gc_duration_seconds_count',
  'nodejs_active_handles_total',
];

const WATCHED_QUEUES = ['dispatch.order-created', 'orders.replenish', 'dispatch.order-created.dlq'];

let env: IsolatedEnv;
let demo: DemoHarness;
let recon: ReconProcess;

beforeAll(async () => {
  env = await createIsolatedEnv('metrics_runtime');
  demo = await startDemo(env);
  recon = await spawnRecon(env, {
    RABBITMQ_MANAGEMENT_URL: env.managementUrl,
    RECON_BROKER_POLL_INTERVAL_SECONDS: '1',
    RECON_BROKER_STATISTICS_INTERVAL_SECONDS: '1',
    RECON_WATCHED_QUEUES: WATCHED_QUEUES.join(','),
  });
}, 60_000);

afterAll(async () => {
  await recon?.stop();
  await demo?.stop();
  await env?.destroy();
});

/** One scrape as series identities (name and labels) mapped to their values: a line of the text format each. */
async function scrape(): Promise<Map<string, number>> {
  const res = await fetch(`${recon.url}/metrics`);
  expect(res.status).toBe(200);
  const series = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    series.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return series;
}

const sampleOf = (series: Map<string, number>, key: string) => series.get(key) ?? 0;
const CYCLES = 'recon_poll_duration_seconds_count{source="databases"}';
const BROKER_POLLS = 'recon_poll_duration_seconds_count{source="rabbitmq"}';

/**
 * Warm-up: orders have flowed (here the dispatch source first reads as up once they have), both pollers have run
 * twice, every source has been read successfully (its last-success series appears with its first success) and the
 * broker's statistics name every watched queue. From then on, every series that can exist does.
 */
function isWarm(series: Map<string, number>): boolean {
  const sources = [...series.keys()].filter((key) => key.startsWith('recon_source_up{'));
  const isEverySourceUp =
    sources.length > 0 &&
    sources.every(
      (key) => series.get(key) === 1 && series.has(key.replace('_up{', '_last_success_timestamp_seconds{')),
    );
  const queueSeries = [...series.keys()].filter((key) => key.startsWith('recon_queue_messages{'));
  return (
    isEverySourceUp &&
    queueSeries.length === WATCHED_QUEUES.length * 2 &&
    sampleOf(series, CYCLES) >= 2 &&
    sampleOf(series, BROKER_POLLS) >= 2
  );
}

describe('GET /metrics of a real Recon', () => {
  it('carries the runtime metrics beside the recon_ ones, under their standard names', async () => {
    const series = await scrape();
    const names = new Set([...series.keys()].map((key) => key.replace(/\{.*$/, '')));
    expect(RUNTIME_METRICS.filter((name) => !names.has(name))).toEqual([]);
    expect(names.has('recon_findings_open')).toBe(true);
    // The recon_ prefix belongs to Recon's own contract (DESIGN.md): runtime metrics never take it.
    expect([...names].filter((name) => /^recon_(process|nodejs)_/.test(name))).toEqual([]);
  });

  it('keeps the series count under a fixed bound that does not grow across scrapes and cycles', async () => {
    await placeOrders(demo, 5);
    const baseline = await waitFor('every series that can exist to exist', async () => {
      const series = await scrape();
      return isWarm(series) && series;
    });
    expect(baseline.size).toBeLessThan(MAX_SERIES);

    // Orders flow, cycles pass, Prometheus scrapes again and again: the same series every time.
    await placeOrders(demo, 20);
    const cyclesBefore = sampleOf(baseline, CYCLES);
    let last = baseline;
    for (let scrapes = 0; sampleOf(last, CYCLES) < cyclesBefore + 4; scrapes++) {
      expect(scrapes, 'four more cycles within 60 scrapes (a cycle runs every second)').toBeLessThan(60);
      await new Promise((resolve) => setTimeout(resolve, 500));
      last = await scrape();
      expect([...last.keys()].filter((key) => !baseline.has(key))).toEqual([]);
      expect(last.size).toBe(baseline.size);
    }
    expect(sampleOf(last, 'recon_order_to_dispatch_seconds_count')).toBeGreaterThan(0);
  }, 60_000);
});
