import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Hono } from 'hono';
import type { Logger } from 'pino';
import { createActionService } from './actions/action-service.ts';
import { startActionSweeper } from './actions/action-sweeper.ts';
import { createBulkActions } from './actions/bulk-actions.ts';
import { createRepairPorts } from './actions/repair-ports.ts';
import { createActionPublisher } from './adapters/action-publisher.ts';
import { startDeadLetterConsumer } from './adapters/dead-letter-consumer.ts';
import { createDispatchDb } from './adapters/dispatch-db.ts';
import { createManagementApi } from './adapters/management-api.ts';
import { createOrdersDb } from './adapters/orders-db.ts';
import { createPgPool } from './adapters/postgres.ts';
import { createTimelineDb } from './adapters/timeline-db.ts';
import { hashPassword } from './auth/passwords.ts';
import { type BrokerPoller, startBrokerPoller } from './broker-poller.ts';
import type { ReconConfig } from './config.ts';
import { createDeadLetterCustody, toDeadLetterMetrics } from './dead-letter-custody.ts';
import { createApp } from './http/app.ts';
import type { AuthEnv } from './http/auth.ts';
import { serve } from './http/serve.ts';
import { createLatencyHistory } from './metrics/latency-history.ts';
import { createMetrics, type ReconMetrics } from './metrics/registry.ts';
import { createMetricsState, type MetricsState, setOpenSummary } from './metrics/state.ts';
import { type Scheduler, startScheduler } from './scheduler.ts';
import { createSourceHealthTracker } from './source-health.ts';
import { createActionStore } from './store/action-store.ts';
import { createBulkStore } from './store/bulk-store.ts';
import { createDeadLetterStore } from './store/dead-letter-store.ts';
import { createLeaderElection } from './store/leader-election.ts';
import { migrateStore } from './store/migrate.ts';
import { createPgStore } from './store/pg-store.ts';
import { createSessionStore } from './store/session-store.ts';
import type { ReconStore } from './store/types.ts';
import { createUserStore } from './store/user-store.ts';

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

/** Starts one Recon replica: store, leader election, scheduler, metrics refresher and (when `listen`) the HTTP server. */
export async function startRecon(
  config: ReconConfig,
  { log, listen = true }: { log: Logger; listen?: boolean },
): Promise<Recon> {
  const reconPool = createPgPool(config.reconDatabaseUrl, { applicationName: 'recon' });
  try {
    await migrateStore(reconPool);
  } catch (error) {
    await reconPool.end();
    throw new Error(
      `Recon's database (RECON_DATABASE_URL) is not usable; start the services with: bash scripts/services.sh`,
      { cause: error },
    );
  }
  const store = createPgStore(reconPool);
  const ordersPool = createPgPool(config.ordersDatabaseUrl, { applicationName: 'recon' });
  const dispatchPool = createPgPool(config.dispatchDatabaseUrl, { applicationName: 'recon' });
  const health = createSourceHealthTracker(['orders', 'dispatch', 'rabbitmq', 'recon']);
  const metricsState = createMetricsState();
  const metrics = createMetrics(metricsState);
  const latency = createLatencyHistory();

  const leader = createLeaderElection({
    connectionString: config.reconDatabaseUrl,
    lockKey: LEADER_LOCK_KEY,
    onChange: (isLeader) =>
      log.info({ isLeader }, isLeader ? 'this replica now runs the reconcilers' : 'not the leader'),
  });
  await leader.start();

  // Custody of dead letters: only the leader consumes (a follower's consumer is closed within a tick of losing
  // the lock); the dedupe key makes a letter stored by two holders during a handover still one row.
  const deadLetters = createDeadLetterStore(reconPool);
  const custody = createDeadLetterCustody({ store: deadLetters, findings: store });
  const deadLetterConsumer = startDeadLetterConsumer({
    url: config.rabbitmqUrl,
    queues: config.deadLetterQueues,
    maxBodyBytes: config.deadLetterMaxBytes,
    handle: custody.handle,
    isLeader: () => leader.isLeader(),
    log: log.child({ component: 'dead-letters' }),
  });

  const scheduler = startScheduler({
    config,
    orders: createOrdersDb(ordersPool, config.mapping),
    dispatch: createDispatchDb(dispatchPool, config.mapping),
    store,
    health,
    log,
    isLeader: () => leader.isLeader(),
    onCycle(report, durationSeconds) {
      metrics.pollDuration.observe({ source: 'databases' }, durationSeconds);
      const age = report.outboxOldestPendingAgeSeconds;
      if (report.fresh.orders)
        metricsState.outboxOldestPendingAt = age === null ? null : new Date(report.startedAt.getTime() - age * 1000);
    },
    observeOrderToDispatch: (seconds) => {
      metrics.orderToDispatch.observe(seconds);
      latency.observe(seconds, new Date());
    },
  });

  const managementApi = createManagementApi({
    url: config.rabbitmqManagementUrl,
    timeoutMs: config.managementTimeoutMs,
  });
  const broker = startBrokerPoller({
    config,
    api: managementApi,
    store,
    health,
    metrics,
    metricsState,
    log: log.child({ component: 'broker' }),
    isLeader: () => leader.isLeader(),
  });

  // Repair actions: any replica executes the ones it is asked for; the leader's sweeper settles what a crash left.
  const actionStore = createActionStore(reconPool);
  const publisher = createActionPublisher({
    url: config.rabbitmqUrl,
    confirmTimeoutMs: config.actions.confirmTimeoutMs,
  });
  const repairPorts = createRepairPorts(config, { orders: ordersPool, dispatch: dispatchPool }, deadLetters, publisher);
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
  const sweeper = startActionSweeper({
    actions: actionStore,
    findings: store,
    ports: repairPorts,
    counter: metrics.actions,
    log: log.child({ component: 'action-sweeper' }),
    // Read-only refuses every effect, the sweeper's re-drives included: unsettled actions wait for a writable Recon.
    isLeader: () => leader.isLeader() && !config.isReadOnly,
    intervalMs: config.actions.sweepIntervalMs,
    leaseMs: config.actions.leaseMs,
    retryAfterMs: config.actions.retryAfterMs,
    maxAttempts: config.actions.maxAttempts,
  });
  const bulks = createBulkStore(reconPool);
  const bulk = createBulkActions({
    service: actionService,
    bulks,
    findings: store,
    log: log.child({ component: 'bulk' }),
  });
  const users = createUserStore(reconPool);
  if (config.admin)
    await users.upsertUser({
      name: config.admin.name,
      role: 'admin',
      passwordHash: await hashPassword(config.admin.password),
    });
  else if ((await users.listUsers()).length === 0)
    log.warn(
      'no user can sign in yet: set RECON_ADMIN_USER and RECON_ADMIN_PASSWORD, or run npm run add-user -- <name> admin',
    );

  // Every replica refreshes what /metrics and the API show from the store; a scrape itself never does I/O.
  const refresh = async () => {
    try {
      setOpenSummary(metricsState, await store.openSummary());
      metricsState.sources = leader.isLeader() ? health.snapshot() : await store.listSourceHealth();
      metricsState.deadLetters = toDeadLetterMetrics(await deadLetters.deadLetterCounts(), config.deadLetterQueues);
      if (leader.isLeader()) await custody.recheckOpen(new Date());
    } catch (error) {
      log.warn({ err: (error as Error).message }, 'refreshing metrics from the store failed');
    }
  };
  await refresh();
  const refresher = setInterval(() => void refresh(), Math.max(1_000, config.pollIntervalMs));
  const sessions = createSessionStore(reconPool);
  const sessionPurger = setInterval(
    () => void sessions.purgeExpired().catch((err) => log.warn({ err: err.message }, 'purging sessions failed')),
    3_600_000,
  );
  sessionPurger.unref();
  const shutdown = new AbortController();

  const app = createApp({
    store,
    metrics,
    timeline: createTimelineDb({ orders: ordersPool, dispatch: dispatchPool }, config.mapping),
    isReady: async () => (await reconPool.query('SELECT 1')).rowCount === 1,
    logger: log,
    deadLetters,
    broker,
    users,
    sessions: { store: sessions, ttlMs: config.web.sessionTtlMs, secureCookies: config.web.secureCookies },
    actionsPerMinute: config.web.actionsPerMinute,
    metricsToken: config.web.metricsToken,
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
  const close = listen ? serve(app, config.port) : async () => {};

  return {
    app,
    store,
    scheduler,
    metrics,
    metricsState,
    broker,
    isLeader: () => leader.isLeader(),
    async stop() {
      clearInterval(refresher);
      clearInterval(sessionPurger);
      shutdown.abort();
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
      await Promise.all([reconPool.end(), ordersPool.end(), dispatchPool.end()]);
    },
  };
}

/** ui/dist beside the sources (tsx) or beside dist/ (the compiled build): the first that holds a build. */
function defaultUiDir(): string | undefined {
  const candidates = ['../ui/dist', '../../ui/dist'].map((relative) =>
    fileURLToPath(new URL(relative, import.meta.url)),
  );
  return candidates.find((dir) => existsSync(`${dir}/index.html`)) ?? candidates[0];
}
