import { ensureFirstAdmin } from '../auth/first-admin.ts';
import type { BrokerView } from '../broker-poller.ts';
import type { ReconConfig } from '../config.ts';
import { createApp } from '../http/app.ts';
import { serve } from '../http/serve.ts';
import { startMetricsRefresher } from '../metrics/refresher.ts';
import { startPeriodic } from '../periodic.ts';
import type { DeadLetterStore } from '../store/dead-letter-types.ts';
import { createSessionStore } from '../store/session-store.ts';
import { createSignInStore } from '../store/sign-in-store.ts';
import { createUserStore } from '../store/user-store.ts';
import type { DeadLetterQueue } from '../watched-system/model.ts';
import type { ReconActions } from './actions.ts';
import type { ReconParts } from './parts.ts';

const SESSION_PURGE_INTERVAL_MS = 3_600_000;
/** Each event reads the overview from Recon's database: fast cycles must not make every open page query it faster. */
const EVENTS_MIN_INTERVAL_MS = 1_000;
/** Slow cycles must not slow the stream: broker polls keep their own pace, and a signed-out page stops within one. */
const EVENTS_MAX_INTERVAL_MS = 5_000;

/**
 * What pages and scrapes read: the users (the first admin ensured), the metrics refreshed from the store, the
 * sessions, and the HTTP app, served when `listen`. `stop()` ends open event streams before the server closes.
 */
export async function startWeb(
  parts: ReconParts,
  web: {
    listen: boolean;
    uiDir: string | undefined;
    deadLetters: DeadLetterStore;
    deadLetterQueues: readonly DeadLetterQueue[];
    broker: BrokerView;
    actions: Omit<ReconActions, 'stop'>;
  },
) {
  const { config, log, reconPool, store, health, metrics, metricsState, isLeader } = parts;
  const users = createUserStore(reconPool);
  await ensureFirstAdmin(users, config.admin, log);
  const refresher = startMetricsRefresher({
    state: metricsState,
    store,
    deadLetters: web.deadLetters,
    deadLetterQueues: web.deadLetterQueues.map(({ queue }) => queue),
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
    timeline: parts.flow.timeline,
    features: config.watched.features,
    isReady: async () => (await reconPool.query('SELECT 1')).rowCount === 1,
    logger: log,
    deadLetters: web.deadLetters,
    broker: web.broker,
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
    trustedProxies: config.web.trustedProxies,
    isReadOnly: config.isReadOnly,
    uiDir: web.uiDir,
    latency: parts.latency,
    pollIntervalMs: slowestSourceIntervalMs(config),
    events: { intervalMs: eventsIntervalMs(config), shutdown: shutdown.signal },
    actions: {
      service: web.actions.service,
      store: web.actions.store,
      bulk: web.actions.bulk,
      bulks: web.actions.bulks,
      operatorMaxBulkItems: config.actions.operatorMaxBulkItems,
    },
  });
  const close = web.listen ? serve(app, config.port, config.host) : async () => {};

  return {
    app,
    async stop() {
      shutdown.abort();
      await Promise.all([refresher.stop(), sessionPurger.stop()]);
      await close();
    },
  };
}

/** Sources are read each cycle and each broker poll (never faster than the broker's statistics interval). */
function slowestSourceIntervalMs(
  config: Pick<ReconConfig, 'pollIntervalMs' | 'brokerPollIntervalMs' | 'brokerStatisticsIntervalMs'>,
): number {
  return Math.max(config.pollIntervalMs, config.brokerPollIntervalMs, config.brokerStatisticsIntervalMs);
}

/** A live page gets a fresh overview as often as a cycle runs, within EVENTS_MIN/MAX_INTERVAL_MS. */
function eventsIntervalMs(config: Pick<ReconConfig, 'pollIntervalMs'>): number {
  return Math.min(EVENTS_MAX_INTERVAL_MS, Math.max(EVENTS_MIN_INTERVAL_MS, config.pollIntervalMs));
}
