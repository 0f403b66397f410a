import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { FINDING_KINDS } from '../../reconcilers/registry.ts';
import { addRuntimeMetrics } from './runtime.ts';
import { ageSeconds, type MetricsState } from './state.ts';

// Every Recon metric is defined here, on a registry of its own (never prom-client's global one) so each test
// and each app instance gets a fresh set. Names and labels are a contract with the Grafana dashboards and alert
// rules. Labels are bounded: a kind, a source, a watched queue, an action name. Never an order or message id.

export interface ReconMetrics {
  registry: Registry;
  /** Seconds one poll of a source took, successful or not. */
  pollDuration: Histogram<'source'>;
  /** One per settled action: outcome is done, failed, in-doubt, superseded or needs-attention. */
  actions: Counter<'action' | 'outcome'>;
  /** Seconds from an order's creation to its dispatch row, observed when the dispatch is first seen. */
  orderToDispatch: Histogram<string>;
}

export interface MetricsOptions {
  /**
   * Adds Node's runtime metrics (runtime.ts). Recon's process turns them on; off by default because each registry
   * that has them keeps an event-loop monitor and a GC observer running for the life of the process.
   */
  runtimeMetrics?: boolean;
}

export function createMetrics(state: MetricsState, options: MetricsOptions = {}): ReconMetrics {
  const registry = new Registry();
  const registers = [registry];

  // Gauges are filled in collect(), on scrape, from the in-memory state. reset() first, so a source or queue
  // that left the state does not linger with its last value.
  new Gauge({
    name: 'recon_findings_open',
    help: 'Open findings per kind.',
    labelNames: ['kind'],
    registers,
    collect() {
      this.reset();
      // Every kind is always present: a series that appears only when a problem does breaks alert rules.
      for (const kind of FINDING_KINDS) this.set({ kind }, state.findings.get(kind)?.open ?? 0);
    },
  });
  new Gauge({
    name: 'recon_finding_oldest_age_seconds',
    help: 'Age of the oldest open finding per kind (0 when none is open).',
    labelNames: ['kind'],
    registers,
    collect() {
      this.reset();
      const now = state.now();
      for (const kind of FINDING_KINDS) {
        const oldest = state.findings.get(kind)?.oldestFirstSeenAt;
        this.set({ kind }, oldest ? ageSeconds(oldest, now) : 0);
      }
    },
  });
  new Gauge({
    name: 'recon_source_up',
    help: 'Whether the last read of a source succeeded (1) or not (0).',
    labelNames: ['source'],
    registers,
    collect() {
      this.reset();
      for (const s of state.sources) this.set({ source: s.source }, s.up ? 1 : 0);
    },
  });
  new Gauge({
    name: 'recon_source_last_success_timestamp_seconds',
    help: 'Unix time of the last successful read of a source.',
    labelNames: ['source'],
    registers,
    collect() {
      this.reset();
      // A source never read successfully has no sample: 0 would read as "stale since 1970" in time() - x alerts.
      for (const s of state.sources) {
        if (s.lastSuccessAt) this.set({ source: s.source }, s.lastSuccessAt.getTime() / 1000);
      }
    },
  });
  new Gauge({
    name: 'recon_dead_letters',
    help: "Messages in watched dead-letter queues, by queue and reason (x-death, or MassTransit's MT-Reason).",
    labelNames: ['queue', 'reason'],
    registers,
    collect() {
      this.reset();
      for (const d of state.deadLetters) this.set({ queue: d.queue, reason: d.reason }, d.count);
    },
  });
  new Gauge({
    name: 'recon_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest outbox row not yet confirmed by the broker (0 when none).',
    registers,
    collect() {
      const oldest = state.outboxOldestPendingAt;
      this.set(oldest ? ageSeconds(oldest, state.now()) : 0);
    },
  });
  new Gauge({
    name: 'recon_queue_messages',
    help: 'Messages in watched queues, by state (ready, unacked).',
    labelNames: ['queue', 'state'],
    registers,
    collect() {
      this.reset();
      for (const q of state.queueMessages) this.set({ queue: q.queue, state: q.state }, q.count);
    },
  });

  const pollDuration = new Histogram({
    name: 'recon_poll_duration_seconds',
    help: 'Duration of one poll of a source.',
    labelNames: ['source'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const actions = new Counter({
    name: 'recon_actions_total',
    help: 'Repair actions settled, by action and outcome.',
    labelNames: ['action', 'outcome'],
    registers,
  });
  const orderToDispatch = new Histogram({
    name: 'recon_order_to_dispatch_seconds',
    help: 'Time from order creation to its dispatch.',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300],
    registers,
  });

  if (options.runtimeMetrics) addRuntimeMetrics(registry);
  return { registry, pollDuration, actions, orderToDispatch };
}
