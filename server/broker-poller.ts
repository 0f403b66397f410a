import type { Logger } from 'pino';
import type { BrokerSettings, ReconcilerReading } from '../reconcilers/define-kind.ts';
import { gatherBrokerPoll, judgeBroker } from '../reconcilers/engine/broker-judging.ts';
import { createFindingsWriter } from '../reconcilers/engine/findings-writer.ts';
import type { ManagementPort } from '../reconcilers/ports/broker.ts';
import type { FindingsPort } from '../reconcilers/ports/findings-store.ts';
import type { BrokerPoll, SuccessfulPoll } from '../reconcilers/snapshots/broker-polls.ts';
import { MIN_WINDOW_MS, STATISTICS_INTERVAL_MS } from '../reconcilers/snapshots/broker-window.ts';
import type { ReconConfig } from './config.ts';
import type { ReconMetrics } from './metrics/registry.ts';
import type { MetricsState, QueueMessageCount } from './metrics/state.ts';
import { startPeriodic } from './periodic.ts';
import type { SourceHealthTracker } from './source-health.ts';

/** Polls kept for the overview charts and the reconcilers' consecutive-poll windows (5 minutes at 5 s). */
const HISTORY_POLLS = 60;
/** The overview's longest chart window (6 h) at one poll per minute: a few hundred polls of the watched queues. */
const MINUTE_POLLS = 6 * 60;
const MAX_BACKOFF_MS = 30_000;
/** The management UI's own warning threshold for `statistics_db_event_queue`: past it the numbers lag badly. */
const STATISTICS_BACKLOG_LIMIT = 1_000;

export interface BrokerPollerDeps {
  config: Pick<
    ReconConfig,
    'vhost' | 'watchedQueues' | 'brokerPollIntervalMs' | 'brokerStuckPolls' | 'managementTimeoutMs'
  > & {
    /**
     * The broker's `collect_statistics_interval`, which the management API does not expose: the poll interval never
     * goes below it (5 s, RabbitMQ's default, unless set).
     */
    brokerStatisticsIntervalMs?: number;
  };
  api: ManagementPort;
  /** The kinds judged over the recent polls. */
  kinds: readonly ReconcilerReading<'broker'>[];
  store: FindingsPort;
  health: SourceHealthTracker;
  metrics: Pick<ReconMetrics, 'pollDuration'>;
  metricsState: MetricsState;
  log: Logger;
  isLeader(): boolean;
  clock?: () => Date;
}

/** What the HTTP layer reads: the recent polls, in memory, so a page view never polls the broker. */
export interface BrokerView {
  watchedQueues: readonly string[];
  /** Oldest first; failed polls included. */
  polls(): readonly BrokerPoll[];
  /** A latest poll older than this is stale. */
  staleAfterMs: number;
  /** One poll per minute for the last hours (oldest first), for charts longer than `polls()` reaches. */
  minutePolls?(): readonly BrokerPoll[];
}

export interface BrokerPoller extends BrokerView {
  /** Polls now, or joins the poll in flight: never two at once. */
  pollNow(): Promise<BrokerPoll>;
  stop(): Promise<void>;
}

/**
 * Polls the management API every interval, one poll in flight, backing off with jitter while it fails. Every replica
 * polls (each serves the overview and /metrics from memory); only the leader judges the polls and writes findings.
 * A poll has one deadline, `managementTimeoutMs`, for all its requests together: past it the poll fails.
 */
export function startBrokerPoller(deps: BrokerPollerDeps): BrokerPoller {
  const { config, api, health, log } = deps;
  const clock = deps.clock ?? (() => new Date());
  // Polling faster than the broker refreshes its statistics re-reads the same numbers and only loads the broker.
  const statisticsIntervalMs = config.brokerStatisticsIntervalMs ?? STATISTICS_INTERVAL_MS;
  const intervalMs = Math.max(config.brokerPollIntervalMs, statisticsIntervalMs);
  if (intervalMs > config.brokerPollIntervalMs) {
    log.warn(
      { configuredMs: config.brokerPollIntervalMs, statisticsIntervalMs },
      'the broker poll interval is below the broker statistics interval: polling at the statistics interval',
    );
  }
  const budgetMs = config.managementTimeoutMs;
  const settings: BrokerSettings = { stuckPolls: config.brokerStuckPolls, staleAfterMs: 3 * intervalMs + budgetMs };
  // Its kinds' open findings are read afresh at every judging: few, and another leader may have written them.
  const findings = createFindingsWriter(deps.store, deps.kinds);
  // Enough for the longest window the checks may need (stuckPolls, widened to MIN_WINDOW_MS when polls are fast).
  const historyPolls = Math.max(HISTORY_POLLS, 2 * config.brokerStuckPolls + Math.ceil(MIN_WINDOW_MS / intervalMs));
  const polls: BrokerPoll[] = [];
  const minutePolls: BrokerPoll[] = [];
  let failures = 0;

  const poll = async (): Promise<void> => {
    const at = clock();
    const startedAt = performance.now();
    let result: BrokerPoll;
    try {
      const previous = polls.findLast((p): p is SuccessfulPoll => p.ok);
      result = await withDeadline(budgetMs, (signal) => gatherBrokerPoll(api, config, previous, at, signal));
      health.success('rabbitmq', clock());
      deps.metricsState.queueMessages = toQueueMessages(result);
      failures = 0;
    } catch (error) {
      health.failure('rabbitmq', error as Error, clock());
      // The tracker's text: the causes included, credentials masked.
      const reason = health.snapshot().find((s) => s.source === 'rabbitmq')?.lastError ?? 'unknown error';
      result = { at, ok: false, error: reason };
      // No number beats a stale one: the series vanish and recon_source_up{source="rabbitmq"} says why.
      deps.metricsState.queueMessages = [];
      failures += 1;
      log.warn({ err: reason, failures }, 'polling the RabbitMQ management API failed');
    }
    deps.metrics.pollDuration.observe({ source: 'rabbitmq' }, (performance.now() - startedAt) / 1000);
    polls.push(result);
    if (polls.length > historyPolls) polls.shift();
    keepPerMinute(minutePolls, result);
    if (deps.isLeader()) await judge();
  };

  const judge = async () => {
    try {
      const outcome = await judgeBroker(findings, deps.kinds, polls, clock(), settings);
      if (outcome.opened || outcome.resolved) log.info(outcome, 'broker findings changed');
    } catch (error) {
      health.failure('recon', error as Error);
      log.warn({ err: (error as Error).message }, 'storing broker findings failed');
    }
  };

  // Full jitter over the upper half while polls fail: replicas retrying a broker that just came back do not arrive
  // together. A statistics database behind on its events serves old numbers; reading them more often only adds to
  // its load.
  const waitMs = () => {
    if (failures) return Math.min(MAX_BACKOFF_MS, intervalMs * 2 ** failures) * (0.5 + Math.random() / 2);
    const latest = polls.at(-1);
    const isBehind = latest?.ok === true && (latest.statisticsBacklog ?? 0) > STATISTICS_BACKLOG_LIMIT;
    return isBehind ? 2 * intervalMs : intervalMs;
  };
  const task = startPeriodic({ name: 'broker poll', intervalMs: waitMs, run: poll, log });

  return {
    watchedQueues: config.watchedQueues,
    polls: () => polls,
    minutePolls: () => minutePolls,
    staleAfterMs: settings.staleAfterMs,
    async pollNow() {
      await task.runNow();
      return polls.at(-1)!;
    },
    stop: () => task.stop(),
  };
}

/**
 * Runs `read` with a signal that aborts after `budgetMs`, and fails then even if `read` ignores the signal: one
 * deadline for every request of a poll, however many there are.
 */
async function withDeadline<T>(budgetMs: number, read: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const deadline = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`the poll took longer than its ${budgetMs} ms budget`);
      deadline.abort(error);
      reject(error);
    }, budgetMs);
  });
  const reading = read(deadline.signal);
  reading.catch(() => {}); // lost the race: its own failure (the abort) is already reported
  try {
    return await Promise.race([reading, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Keeps the first poll of each minute, up to MINUTE_POLLS: the long charts' resolution. */
function keepPerMinute(minutePolls: BrokerPoll[], poll: BrokerPoll) {
  const minuteOf = (p: BrokerPoll) => Math.floor(p.at.getTime() / 60_000);
  const last = minutePolls.at(-1);
  if (last && minuteOf(last) === minuteOf(poll)) return;
  minutePolls.push(poll);
  if (minutePolls.length > MINUTE_POLLS) minutePolls.shift();
}

function toQueueMessages(poll: SuccessfulPoll): QueueMessageCount[] {
  return poll.queues.flatMap((q) => [
    ...(q.ready === undefined ? [] : [{ queue: q.name, state: 'ready' as const, count: q.ready }]),
    ...(q.unacked === undefined ? [] : [{ queue: q.name, state: 'unacked' as const, count: q.unacked }]),
  ]);
}
