import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import type pg from 'pg';
import type { Logger } from 'pino';
import { createDatabaseEngine } from '../reconcilers/engine/database-engine.ts';
import { createDeadLetterJudging } from '../reconcilers/engine/dead-letter-judging.ts';
import { kindsReading } from '../reconcilers/registry.ts';
import { createActionService } from './actions/action-service.ts';
import { startActionSweeper } from './actions/action-sweeper.ts';
import { createBulkActions } from './actions/bulk-actions.ts';
import { createRepairPorts } from './actions/repair-ports.ts';
import { createActionPublisher } from './adapters/action-publisher.ts';
import { startDeadLetterConsumer } from './adapters/dead-letter-consumer.ts';
import { createManagementApi } from './adapters/management-api.ts';
import { createPgPool } from './adapters/postgres.ts';
import { ensureFirstAdmin } from './auth/first-admin.ts';
import { type BrokerPoller, startBrokerPoller } from './broker-poller.ts';
import type { ReconConfig } from './config.ts';
import { createDeadLetterCustody } from './dead-letter-custody.ts';
import { createFlowAdapters } from './flow-adapters.ts';
import { createApp } from './http/app.ts';
import type { AuthEnv } from './http/auth.ts';
import { serve } from './http/serve.ts';
import { createLatencyHistory } from './metrics/latency-history.ts';
import { recordCycle, startMetricsRefresher } from './metrics/refresher.ts';
import { createMetrics, type ReconMetrics } from './metrics/registry.ts';
import { createMetricsState, type MetricsState } from './metrics/state.ts';
import { startPeriodic } from './periodic.ts';
import { type Scheduler, startScheduler } from './scheduler.ts';
import { createSourceHealthTracker } from './source-health.ts';
import { createActionStore } from './store/action-store.ts';
import { createBulkStore } from './store/bulk-store.ts';
import { createDeadLetterStore } from './store/dead-letter-store.ts';
import { createLeaderElection } from './store/leader-election.ts';
import { migrateStore } from './store/migrate.ts';
import { createPgStore } from './store/pg-store.ts';
import { createSessionStore } from './store/session-store.ts';
import { createSignInStore } from './store/sign-in-store.ts';
import type { ReconStore } from './store/types.ts';
import { createUserStore } from './store/user-store.ts';
import type { DeadLetterQueue, WatchedSystem } from './watched-system/model.ts';

/** One advisory lock id for "the replica that runs the reconcilers", in Recon's own database. */
const LEADER_LOCK_KEY = 0x7265636f; // 'reco'
const SESSION_PURGE_INTERVAL_MS = 3_600_000;

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
 * the HTTP server. It composes; what each part does lives in that part.
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
    watchedDeadLetters?: { queues: DeadLetterQueue[]; orderIdPath: string; messageIdHeader?: string | null };
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

  // The reconcilers: every kind of the registry, each judged by the engine that gathers what it reads.
  const deadLetters = createDeadLetterStore(reconPool);
  const deadLetterJudging = createDeadLetterJudging({
    letters: deadLetters,
    store,
    kinds: kindsReading('dead-letters'),
  });
  const scheduler = startScheduler({
    pollIntervalMs: config.pollIntervalMs,
    sweepIntervalMs: config.sweepIntervalMs,
    engine: createDatabaseEngine({
      orders: flow.orders,
      dispatch: flow.dispatch,
      outbox: flow.outbox,
      orderKinds: kindsReading('order-dispatch'),
      referenceKinds: kindsReading('order-references'),
      outboxKinds: kindsReading('outbox'),
      slots: flow.slots && { ...flow.slots, kinds: kindsReading('replication-slots') },
      store,
      settings: { graceMs: config.graceMs },
      overlapMs: config.overlapMs,
      pageSize: config.pageSize,
      recheckIntervalMs: config.recheckIntervalMs,
      health,
      observeOrderToDispatch: (seconds) => {
        metrics.orderToDispatch.observe(seconds);
        latency.observe(seconds, new Date());
      },
    }),
    deadLetters: deadLetterJudging,
    store,
    health,
    log,
    isLeader,
    onCycle: (report, seconds) => recordCycle(metrics, metricsState, report, seconds),
  });
  const managementApi = createManagementApi({
    url: config.rabbitmqManagementUrl,
    timeoutMs: config.managementTimeoutMs,
  });
  const broker = startBrokerPoller({
    config,
    api: managementApi,
    kinds: kindsReading('broker'),
    store,
    health,
    metrics,
    metricsState,
    log: log.child({ component: 'broker' }),
    isLeader,
  });
  // Custody of dead letters: only the leader consumes (a follower's consumer is closed within a tick of losing
  // the lock); the dedupe key makes a letter stored by two holders during a handover still one row.
  const deadLetterConsumer = startDeadLetterConsumer({
    url: config.rabbitmqUrl,
    ...watchedDeadLetters,
    maxBodyBytes: config.deadLetterMaxBytes,
    handle: createDeadLetterCustody({ store: deadLetters, judging: deadLetterJudging }),
    isLeader,
    log: log.child({ component: 'dead-letters' }),
  });

  // Repair actions: any replica executes the ones it is asked for; the leader's sweeper settles what a crash left.
  const actionStore = createActionStore(reconPool);
  const publisher = createActionPublisher({
    url: config.rabbitmqUrl,
    confirmTimeoutMs: config.actions.confirmTimeoutMs,
  });
  const repairPorts = createRepairPorts(config, flow.repairs, deadLetters, publisher, watchedDeadLetters.queues);
  const actionService = createActionService({
    actions: actionStore,
    findings: store,
    ports: repairPorts,
    counter: metrics.actions,
    isReadOnly: config.isReadOnly,
    leaseMs: config.actions.leaseMs,
    retryAfterMs: config.actions.retryAfterMs,
    // Long enough for the next cycles to see the effect: a poll, the grace period, and a poll again.
    holdMs: 2 * config.pollIntervalMs + config.graceMs,
    faultPoint: config.actions.faultPoint,
  });
  const bulks = createBulkStore(reconPool);
  const bulk = createBulkActions({
    service: actionService,
    bulks,
    findings: store,
    log: log.child({ component: 'bulk' }),
  });
  const sweeper = startActionSweeper({
    actions: actionStore,
    findings: store,
    ports: repairPorts,
    counter: metrics.actions,
    log: log.child({ component: 'action-sweeper' }),
    // Read-only refuses every effect, the sweeper's re-drives included: unsettled actions wait for a writable Recon.
    isLeader: () => isLeader() && !config.isReadOnly,
    intervalMs: config.actions.sweepIntervalMs,
    leaseMs: config.actions.leaseMs,
    retryAfterMs: config.actions.retryAfterMs,
    maxAttempts: config.actions.maxAttempts,
    resumeBulks: () => bulk.resumeInterrupted(),
  });

  const users = createUserStore(reconPool);
  await ensureFirstAdmin(users, config.admin, log);
  const refresher = startMetricsRefresher({
    state: metricsState,
    store,
    deadLetters,
    deadLetterQueues: watchedDeadLetters.queues.map(({ queue }) => queue),
    health,
    isLeader,
    intervalMs: config.pollIntervalMs,
    log,
  });
  await refresher.runNow();
  const sessions = createSessionStore(reconPool);
  const sessionPurger = startPeriodic({
    name: 'purging expired sessions',
    intervalMs: SESSION_PURGE_INTERVAL_MS,
    waitFirst: true,
    run: async () => void (await sessions.purgeExpired()),
    log,
  });
  const shutdown = new AbortController();

  const app = createApp({
    store,
    metrics,
    timeline: flow.timeline,
    features: config.watched.features,
    isReady: async () => (await reconPool.query('SELECT 1')).rowCount === 1,
    logger: log,
    deadLetters,
    broker,
    users,
    sessions: { store: sessions, ttlMs: config.web.sessionTtlMs, secureCookies: config.web.secureCookies },
    signIn: {
      store: createSignInStore(reconPool),
      oidc: config.web.oidc,
      isPasswordSignInOn: config.web.isPasswordSignInOn,
    },
    actionsPerMinute: config.web.actionsPerMinute,
    metricsToken: config.web.metricsToken,
    publicOrigins: config.web.publicOrigins,
    isReadOnly: config.isReadOnly,
    uiDir: config.web.uiDir ?? defaultUiDir(),
    latency,
    // Sources are read each cycle and each broker poll (never faster than the broker's statistics interval).
    pollIntervalMs: Math.max(config.pollIntervalMs, config.brokerPollIntervalMs, config.brokerStatisticsIntervalMs),
    events: { intervalMs: Math.min(5_000, Math.max(1_000, config.pollIntervalMs)), shutdown: shutdown.signal },
    actions: {
      service: actionService,
      store: actionStore,
      bulk,
      bulks,
      operatorMaxBulkItems: config.actions.operatorMaxBulkItems,
    },
  });
  const close = listen ? serve(app, config.port, config.host) : async () => {};

  return {
    app,
    store,
    scheduler,
    metrics,
    metricsState,
    broker,
    isLeader,
    async stop() {
      shutdown.abort();
      await Promise.all([refresher.stop(), sessionPurger.stop()]);
      await close();
      // Custody first: no delivery may be in the middle of its commit when the pool closes.
      await deadLetterConsumer.stop();
      await scheduler.stop();
      await bulk.stop();
      await sweeper.stop();
      await publisher.close();
      await broker.stop();
      await managementApi.close();
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
