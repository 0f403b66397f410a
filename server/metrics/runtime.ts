import { collectDefaultMetrics, type Histogram, type Registry } from 'prom-client';

/** prom-client's GC kinds (perf_hooks' NODE_PERFORMANCE_GC_*), each a series from the first scrape on. */
const GC_KINDS = ['major', 'minor', 'incremental', 'weakcb'] as const;
/**
 * Per-type breakdowns whose label values are whichever libuv handle, request or resource classes happen to be alive
 * at the scrape (Timeout, TCPSocketWrap, FSReqCallback…): the series set would change from scrape to scrape. Their
 * `_total` gauges stay.
 */
const BY_TYPE = ['nodejs_active_handles', 'nodejs_active_requests', 'nodejs_active_resources'] as const;

/**
 * Node's runtime metrics (CPU, memory, heap, event-loop lag, GC, handles) under their standard names, which
 * community Node.js dashboards and alerts expect; `recon_` stays Recon's own contract. A scrape reads process
 * state only: V8 and libuv counters in memory, and /proc/self on Linux (a view of the kernel's data for this
 * process, no disk or network). The event-loop monitor and GC observer live as long as the process: call this
 * once per process, not per test registry.
 */
export function addRuntimeMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry });
  for (const name of BY_TYPE) registry.removeSingleMetric(name);
  // Zeroed up front so `rate(…{kind="major"})` has a series before the first major collection, and the series
  // count does not creep up as each kind first happens.
  const gc = registry.getSingleMetric('nodejs_gc_duration_seconds') as Histogram<'kind'> | undefined;
  for (const kind of GC_KINDS) gc?.zero({ kind });
}
