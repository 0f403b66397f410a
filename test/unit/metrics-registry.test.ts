import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import type { Histogram } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FINDING_KINDS } from '../../reconcilers/registry.ts';
import { createMetrics } from '../../server/metrics/registry.ts';
import { createMetricsState, type MetricsState, setOpenSummary } from '../../server/metrics/state.ts';

// A real Prometheus text-format parser checks what we expose, not prom-client's own JSON view of it.
// The package ships no types, so it is loaded through require with the shape we use spelled out here.
interface ParsedFamily {
  name: string;
  type: string;
  metrics: Array<{ labels?: Record<string, string>; value?: string; buckets?: Record<string, string> }>;
}
const parsePrometheusText = createRequire(import.meta.url)('parse-prometheus-text-format') as (
  text: string,
) => ParsedFamily[];

const NOW = new Date('2026-03-01T12:00:00Z');
const CONTRACT = [
  'recon_findings_open',
  'recon_finding_oldest_age_seconds',
  'recon_source_up',
  'recon_source_last_success_timestamp_seconds',
  'recon_poll_duration_seconds',
  'recon_actions_total',
  'recon_dead_letters',
  'recon_outbox_oldest_pending_age_seconds',
  'recon_queue_messages',
  'recon_order_to_dispatch_seconds',
];
/** What the Grafana row "Recon itself" and community Node.js dashboards read. */
const RUNTIME = [
  'process_cpu_seconds_total',
  'process_resident_memory_bytes',
  'process_open_fds',
  'nodejs_eventloop_lag_p99_seconds',
  'nodejs_heap_size_used_bytes',
  'nodejs_gc_duration_seconds',
  'nodejs_active_handles_total',
];

function makeState(overrides: Partial<MetricsState> = {}): MetricsState {
  const state = createMetricsState(() => NOW);
  setOpenSummary(state, [
    { kind: 'stuck-outbox', open: 3, oldestFirstSeenAt: new Date(NOW.getTime() - 90_000) },
    { kind: 'dead-letter', open: 1, oldestFirstSeenAt: new Date(NOW.getTime() - 5_000) },
  ]);
  state.sources = [
    { source: 'orders', up: true, lastSuccessAt: NOW, lastAttemptAt: NOW, lastError: null },
    { source: 'rabbitmq', up: false, lastSuccessAt: null, lastAttemptAt: NOW, lastError: 'ECONNREFUSED' },
  ];
  state.deadLetters = [{ queue: 'dispatch.order-created.dlq', reason: 'rejected', count: 2 }];
  state.queueMessages = [{ queue: 'dispatch.order-created', state: 'unacked', count: 7 }];
  state.outboxOldestPendingAt = new Date(NOW.getTime() - 42_000);
  return Object.assign(state, overrides);
}

async function scrape(state: MetricsState): Promise<Map<string, ParsedFamily>> {
  const metrics = createMetrics(state);
  metrics.pollDuration.observe({ source: 'orders' }, 0.2);
  metrics.actions.inc({ action: 'redrive', outcome: 'done' });
  metrics.orderToDispatch.observe(1.5);
  const families = parsePrometheusText(await metrics.registry.metrics());
  return new Map(families.map((f) => [f.name, f]));
}

const sample = (family: ParsedFamily | undefined, labels: Record<string, string>) =>
  Number(family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value);

afterEach(() => vi.restoreAllMocks());

describe('metrics registry', () => {
  it('exposes every contract metric in valid Prometheus text format', async () => {
    const families = await scrape(makeState());
    for (const name of CONTRACT) expect(families.has(name), name).toBe(true);
    expect(families.get('recon_poll_duration_seconds')?.type).toBe('HISTOGRAM');
    expect(families.get('recon_order_to_dispatch_seconds')?.type).toBe('HISTOGRAM');
    expect(families.get('recon_actions_total')?.type).toBe('COUNTER');
  });

  it('reports every finding kind, with zero for kinds that have no open finding', async () => {
    const families = await scrape(makeState());
    const open = families.get('recon_findings_open');
    const age = families.get('recon_finding_oldest_age_seconds');
    expect(open?.metrics.map((m) => m.labels?.kind).sort()).toEqual([...FINDING_KINDS].sort());
    expect(age?.metrics.map((m) => m.labels?.kind).sort()).toEqual([...FINDING_KINDS].sort());
    expect(sample(open, { kind: 'stuck-outbox' })).toBe(3);
    expect(sample(open, { kind: 'order-without-dispatch' })).toBe(0);
    expect(sample(age, { kind: 'stuck-outbox' })).toBe(90);
    expect(sample(age, { kind: 'order-without-dispatch' })).toBe(0);
  });

  it('reads sources, dead letters, queues and outbox age from the state', async () => {
    const families = await scrape(makeState());
    expect(sample(families.get('recon_source_up'), { source: 'orders' })).toBe(1);
    expect(sample(families.get('recon_source_up'), { source: 'rabbitmq' })).toBe(0);
    expect(sample(families.get('recon_source_last_success_timestamp_seconds'), { source: 'orders' })).toBe(
      NOW.getTime() / 1000,
    );
    // Never read successfully: no sample rather than a misleading 0 (1970).
    expect(
      families.get('recon_source_last_success_timestamp_seconds')?.metrics.some((m) => m.labels?.source === 'rabbitmq'),
    ).toBe(false);
    expect(
      sample(families.get('recon_dead_letters'), { queue: 'dispatch.order-created.dlq', reason: 'rejected' }),
    ).toBe(2);
    expect(sample(families.get('recon_queue_messages'), { state: 'unacked' })).toBe(7);
    expect(sample(families.get('recon_outbox_oldest_pending_age_seconds'), {})).toBe(42);
  });

  it('drops a series whose source left the state instead of repeating its last value', async () => {
    const state = makeState();
    const metrics = createMetrics(state);
    await metrics.registry.metrics();
    state.sources = [];
    const families = parsePrometheusText(await metrics.registry.metrics());
    expect(families.find((f) => f.name === 'recon_source_up')?.metrics ?? []).toEqual([]);
  });

  it('scrapes from the in-memory state only: no file, socket or fetch I/O, fresh values each time', async () => {
    let reads = 0;
    const state = new Proxy(makeState(), {
      get(target, key, receiver) {
        reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    const metrics = createMetrics(state);
    const io = [
      vi.spyOn(fs, 'readFileSync'),
      vi.spyOn(fs, 'readdirSync'),
      vi.spyOn(fs, 'readFile'),
      vi.spyOn(fs.promises, 'readFile'),
      vi.spyOn(net.Socket.prototype, 'connect'),
      vi.spyOn(globalThis, 'fetch'),
    ];
    const first = await metrics.registry.metrics();
    const readsAfterFirst = reads;
    state.queueMessages = [{ queue: 'dispatch.order-created', state: 'unacked', count: 8 }];
    const second = await metrics.registry.metrics();
    for (const spy of io) expect(spy).not.toHaveBeenCalled();
    expect(readsAfterFirst).toBeGreaterThan(0);
    expect(reads).toBeGreaterThan(readsAfterFirst + 1);
    expect(first).toContain('recon_queue_messages{queue="dispatch.order-created",state="unacked"} 7');
    expect(second).toContain('recon_queue_messages{queue="dispatch.order-created",state="unacked"} 8');
  });

  it('gives each call its own registry, so two instances never share series', async () => {
    const a = createMetrics(makeState());
    const b = createMetrics(makeState());
    a.actions.inc({ action: 'redrive', outcome: 'done' });
    expect(await b.registry.getSingleMetricAsString('recon_actions_total')).not.toContain('redrive');
  });

  it("adds Node's runtime metrics under their standard names only when asked", async () => {
    const plain = parsePrometheusText(await createMetrics(makeState()).registry.metrics());
    expect(plain.filter((f) => !f.name.startsWith('recon_')).map((f) => f.name)).toEqual([]);
    const names = parsePrometheusText(
      await createMetrics(makeState(), { runtimeMetrics: true }).registry.metrics(),
    ).map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining([...CONTRACT, ...RUNTIME]));
    // The recon_ prefix is Recon's contract (DESIGN.md); community Node dashboards expect the standard names.
    expect(names.filter((n) => /^recon_(process|nodejs)_/.test(n))).toEqual([]);
  });

  it('keeps the runtime label sets fixed: every GC kind from the start, handles and requests only as totals', async () => {
    const { registry } = createMetrics(makeState(), { runtimeMetrics: true });
    const gc = await (registry.getSingleMetric('nodejs_gc_duration_seconds') as Histogram).get();
    const gcKinds = gc.values
      .filter((v) => v.metricName === 'nodejs_gc_duration_seconds_count')
      .map((v) => v.labels.kind);
    expect(gcKinds.sort()).toEqual(['incremental', 'major', 'minor', 'weakcb']);
    const families = await registry.getMetricsAsJSON();
    // Per-type breakdowns follow whichever libuv handle or request classes happen to be alive at the scrape.
    const byType = families.filter((f) => f.values.some((v) => 'type' in v.labels)).map((f) => f.name);
    expect(byType).toEqual([]);
  });

  it('scrapes runtime metrics from the process alone: only /proc/self is read, no socket or fetch', async () => {
    const metrics = createMetrics(makeState(), { runtimeMetrics: true });
    const files = [vi.spyOn(fs, 'readFileSync'), vi.spyOn(fs, 'readdirSync')];
    const io = [
      vi.spyOn(fs, 'readFile'),
      vi.spyOn(fs.promises, 'readFile'),
      vi.spyOn(net.Socket.prototype, 'connect'),
      vi.spyOn(globalThis, 'fetch'),
    ];
    await metrics.registry.metrics();
    for (const spy of io) expect(spy).not.toHaveBeenCalled();
    const paths = files.flatMap((spy) => spy.mock.calls.map(([path]) => String(path)));
    expect(paths.filter((path) => !path.startsWith('/proc/self/'))).toEqual([]);
  });
});
