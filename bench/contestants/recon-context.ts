import { createDatabaseEngine } from '../../reconcilers/engine/database-engine.ts';
import { kindsReading } from '../../reconcilers/registry.ts';
import { createPgPool } from '../../server/adapters/postgres.ts';
import { loadConfig } from '../../server/config.ts';
import { createFlowAdapters } from '../../server/flow-adapters.ts';
import { createPgStore } from '../../server/store/pg-store.ts';
import { countingCalls, countingPorts, type PortStats } from '../counting-ports.ts';
import { benchReconEnv } from '../databases.ts';

/**
 * Recon's database engine as server/recon.ts wires it: the real adapters and store from `loadConfig`, with the
 * ports wrapped only to count what they return. A source failure is fatal here: a benchmark of a run that could not
 * read a side would measure nothing. `recheckEveryCycle`: every cycle re-checks the open findings, as each cycle
 * whose re-check interval is up does.
 */
export function createReconContext(env: Record<string, string> = {}, { recheckEveryCycle = false } = {}) {
  const config = loadConfig(benchReconEnv(env));
  const flow = createFlowAdapters(config.watched, { applicationName: 'recon-bench' });
  const reconPool = createPgPool(config.reconDatabaseUrl, { applicationName: 'recon-bench' });
  const pools = [...flow.pools.values(), reconPool];
  const ports = countingPorts(flow.orders, flow.dispatch);
  // Recon's own store is counted apart: its calls are part of a cycle's time, but its rows are not business rows.
  const storeStats: PortStats = {};
  const store = countingCalls(createPgStore(reconPool), 'store', storeStats);
  const failures: string[] = [];
  const engine = createDatabaseEngine({
    orders: ports.orders,
    dispatch: ports.dispatch,
    outbox: flow.outbox,
    orderKinds: kindsReading('order-dispatch'),
    referenceKinds: kindsReading('order-references'),
    outboxKinds: kindsReading('outbox'),
    slots: null,
    store,
    settings: { graceMs: config.graceMs },
    overlapMs: config.overlapMs,
    pageSize: config.pageSize,
    recheckIntervalMs: recheckEveryCycle ? 0 : config.recheckIntervalMs,
    health: { success: () => {}, failure: (side, error) => void failures.push(`${side}: ${error.message}`) },
  });
  return {
    config,
    engine,
    stats: ports.stats as PortStats,
    storeStats,
    /**
     * Fills every pool before the clock starts: a running Recon's pools are warm (a cycle every few seconds keeps their
     * connections open), as are the baselines' single connections. The cycle reads both sides, re-checks and its
     * store concurrently, so it uses several connections per pool, not one.
     */
    warmUp: () =>
      Promise.all(pools.map((p) => Promise.all(Array.from({ length: p.options.max }, () => p.query('SELECT 1'))))),
    /**
     * Makes every pooled backend flush its table statistics to pg_stat now. An idle backend flushes them only every
     * ~10 s, and one that exits at once; a warm run keeps its connections, so it asks.
     */
    flushStatistics: () =>
      Promise.all(
        pools.map(async (p) => {
          const clients = await Promise.all(Array.from({ length: p.options.max }, () => p.connect()));
          try {
            await Promise.all(clients.map((c) => c.query('SELECT pg_stat_force_next_flush()')));
          } finally {
            for (const c of clients) c.release();
          }
        }),
      ),
    /** Forgets what was counted so far: a warm run counts its measured cycle alone. */
    resetStats() {
      for (const stats of [ports.stats as PortStats, storeStats])
        for (const key of Object.keys(stats)) delete stats[key];
    },
    assertNoFailure() {
      if (failures.length > 0) throw new Error(`a source failed during the run: ${failures.join('; ')}`);
    },
    close: () => Promise.all(pools.map((p) => p.end())),
  };
}
