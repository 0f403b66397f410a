import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import type pg from 'pg';
import type { Logger } from 'pino';
import { createPgPool } from './adapters/postgres.ts';
import type { BrokerPoller } from './broker-poller.ts';
import { startActions } from './compose/actions.ts';
import type { ReconParts } from './compose/parts.ts';
import { startBrokerPolls, startCustody, startJudging, type WatchedDeadLetters } from './compose/reconcilers.ts';
import { startWeb } from './compose/web.ts';
import type { ReconConfig } from './config.ts';
import { createFlowAdapters } from './flow-adapters.ts';
import type { AuthEnv } from './http/auth.ts';
import { createLatencyHistory } from './metrics/latency-history.ts';
import { createMetrics, type ReconMetrics } from './metrics/registry.ts';
import { createMetricsState, type MetricsState } from './metrics/state.ts';
import type { Scheduler } from './scheduler.ts';
import { createSourceHealthTracker } from './source-health.ts';
import { createLeaderElection } from './store/leader-election.ts';
import { migrateStore } from './store/migrate.ts';
import { createPgStore } from './store/pg-store.ts';
import type { ReconStore } from './store/types.ts';
import type { WatchedSystem } from './watched-system/model.ts';

/** One advisory lock id for "the replica that runs the reconcilers", in Recon's own database. */
const LEADER_LOCK_KEY = 0x7265636f; // 'reco'

export interface Recon {
  app: Hono<AuthEnv>;
  store: ReconStore;
  scheduler: Scheduler;
  metrics: ReconMetrics;
  metricsState: MetricsState;
  broker: BrokerPoller;
  isLeader(): boolean;
  stop(): Promise<void>;
}

/**
 * Starts one Recon replica from its parts: Recon's store and the leader election, the reconcilers (the database
 * engine, broker polls, dead-letter custody) that run on the leader, repair actions, metrics, and (when `listen`)
 * the HTTP server. It composes (server/compose/ starts each group); what each part does lives in that part.
 */
export async function startRecon(
  config: ReconConfig,
  {
    log,
    listen = true,
    watchedDeadLetters = {
      queues: config.watched.flow.deadLetterQueues,
      orderIdPath: config.watched.flow.message.orderIdPath,
      messageIdHeader: config.watched.flow.message.messageIdHeader,
    },
  }: {
    log: Logger;
    listen?: boolean;
    watchedDeadLetters?: WatchedDeadLetters;
  },
): Promise<Recon> {
  const reconPool = await openReconDatabase(config.reconDatabaseUrl);
  const flow = createFlowAdapters(config.watched);
  const store = createPgStore(reconPool, { capabilities: flow.capabilities });
  logFeatures(config.watched, log);
  const health = createSourceHealthTracker(['orders', 'dispatch', 'rabbitmq', 'recon']);
  const metricsState = createMetricsState();
  const metrics = createMetrics(metricsState, { runtimeMetrics: true });
  const latency = createLatencyHistory();
  const leader = createLeaderElection({
    connectionString: config.reconDatabaseUrl,
    lockKey: LEADER_LOCK_KEY,
    onChange: (isLeader) =>
      log.info({ isLeader }, isLeader ? 'this replica now runs the reconcilers' : 'not the leader'),
  });
  await leader.start();
  const isLeader = () => leader.isLeader();
  const parts: ReconParts = { config, log, reconPool, flow, store, health, metrics, metricsState, latency, isLeader };

  const judging = startJudging(parts);
  const brokerPolls = startBrokerPolls(parts);
  const custody = startCustody(parts, judging, watchedDeadLetters);
  const actions = startActions(parts, {
    deadLetters: judging.deadLetters,
    deadLetterQueues: watchedDeadLetters.queues,
  });
  const web = await startWeb(parts, {
    listen,
    uiDir: config.web.uiDir ?? defaultUiDir(),
    deadLetters: judging.deadLetters,
    deadLetterQueues: watchedDeadLetters.queues,
    broker: brokerPolls.broker,
    actions,
  });

  return {
    app: web.app,
    store,
    scheduler: judging.scheduler,
    metrics,
    metricsState,
    broker: brokerPolls.broker,
    isLeader,
    async stop() {
      await web.stop();
      // Custody first: no delivery may be in the middle of its commit when the pool closes.
      await custody.stop();
      await judging.stop();
      await actions.stop();
      await brokerPolls.stop();
      await leader.stop();
      await Promise.all([reconPool.end(), flow.close()]);
    },
  };
}

/** Recon's own database, migrated; a Recon that cannot use it says how to start the services. */
async function openReconDatabase(url: string): Promise<pg.Pool> {
  const pool = createPgPool(url, { applicationName: 'recon' });
  try {
    await migrateStore(pool);
    return pool;
  } catch (error) {
    await pool.end();
    throw new Error(
      `Recon's database (RECON_DATABASE_URL) is not usable; start the services with: bash scripts/services.sh`,
      { cause: error },
    );
  }
}

/** ui/dist beside the sources (tsx) or beside dist/ (the compiled build): the first that holds a build. */
function defaultUiDir(): string | undefined {
  const candidates = ['../ui/dist', '../../ui/dist'].map((relative) =>
    fileURLToPath(new URL(relative, import.meta.url)),
  );
  return candidates.find((dir) => existsSync(`${dir}/index.html`)) ?? candidates[0];
}

/** What the configuration turns off, said once at start (and on /api/sources), so no check is silently missing. */
function logFeatures(watched: WatchedSystem, log: Logger) {
  const off = watched.features.filter((note) => !note.isOn);
  log.info({ origin: watched.origin, flow: watched.flow.name }, 'watching the system described by %s', watched.origin);
  // A deprecated way of configuring is on, and still worth a warning at every start.
  for (const note of watched.features.filter((n) => n.feature === 'recon-mapping'))
    log.warn({ feature: note.feature }, note.detail);
  for (const note of off) log.warn({ feature: note.feature }, `off: ${note.detail}`);
}
