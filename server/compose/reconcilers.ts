import { createDatabaseEngine } from '../../reconcilers/engine/database-engine.ts';
import { createDeadLetterJudging } from '../../reconcilers/engine/dead-letter-judging.ts';
import { kindsReading } from '../../reconcilers/registry.ts';
import { type DeadLetterConsumer, startDeadLetterConsumer } from '../adapters/dead-letter-consumer.ts';
import { createManagementApi } from '../adapters/management-api.ts';
import { startBrokerPoller } from '../broker-poller.ts';
import { createDeadLetterCustody } from '../dead-letter-custody.ts';
import { recordCycle } from '../metrics/refresher.ts';
import { startScheduler } from '../scheduler.ts';
import { createDeadLetterStore } from '../store/dead-letter-store.ts';
import type { DeadLetterQueue } from '../watched-system/model.ts';
import type { ReconParts } from './parts.ts';

/** The dead-letter queues custody consumes, and where a letter carries its order id and message id. */
export interface WatchedDeadLetters {
  queues: DeadLetterQueue[];
  orderIdPath: string;
  messageIdHeader?: string | null;
}

/** The reconcilers: every kind of the registry, each judged by the engine that gathers what it reads. */
export function startJudging(parts: ReconParts) {
  const { config, flow, store, health, metrics, metricsState, latency, log, isLeader } = parts;
  const deadLetters = createDeadLetterStore(parts.reconPool);
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
  return { deadLetters, deadLetterJudging, scheduler, stop: () => scheduler.stop() };
}

/** Every replica polls the broker (each serves the overview and /metrics from memory); only the leader judges. */
export function startBrokerPolls(parts: ReconParts) {
  const { config, store, health, metrics, metricsState, log, isLeader } = parts;
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
  return {
    broker,
    async stop() {
      await broker.stop();
      await managementApi.close();
    },
  };
}

/**
 * Custody of dead letters: only the leader consumes (a follower's consumer is closed within a tick of losing the
 * lock); the dedupe key makes a letter stored by two holders during a handover still one row.
 */
export function startCustody(
  parts: ReconParts,
  judging: Pick<ReturnType<typeof startJudging>, 'deadLetters' | 'deadLetterJudging'>,
  watchedDeadLetters: WatchedDeadLetters,
): DeadLetterConsumer {
  return startDeadLetterConsumer({
    url: parts.config.rabbitmqUrl,
    ...watchedDeadLetters,
    maxBodyBytes: parts.config.deadLetterMaxBytes,
    handle: createDeadLetterCustody({ store: judging.deadLetters, judging: judging.deadLetterJudging }),
    isLeader: parts.isLeader,
    log: parts.log.child({ component: 'dead-letters' }),
  });
}
