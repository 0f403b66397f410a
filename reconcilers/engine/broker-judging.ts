import type { BrokerSettings, ReconcilerReading } from '../define-kind.ts';
import type { ManagementPort, QueueStats } from '../ports/broker.ts';
import type { BrokerPoll, SuccessfulPoll } from '../snapshots/broker-polls.ts';
import type { FindingsWriter } from './findings-writer.ts';

/**
 * One poll of the broker, cheapest first: the overview answers (or not) for the whole API, then the watched queues
 * by name and the channels holding unconfirmed publishes. Consumers are read only for a watched queue that holds
 * unacked messages whose ack counter stood still since the previous poll: they are evidence for a finding, and in a
 * healthy system that request is never made. `signal` is the poll's deadline, shared by all its requests.
 */
export async function gatherBrokerPoll(
  port: ManagementPort,
  target: { vhost: string; watchedQueues: readonly string[] },
  previous: SuccessfulPoll | undefined,
  at: Date,
  signal?: AbortSignal,
): Promise<SuccessfulPoll> {
  const overview = await port.overview({ signal });
  const queues = target.watchedQueues.length
    ? await port.watchedQueues(target.vhost, target.watchedQueues, { signal })
    : [];
  // The totals are broker-wide: no channel anywhere means none in the watched vhost either.
  const channels =
    overview.objectTotals.channels === 0 ? [] : await port.channels(target.vhost, { unconfirmedOnly: true, signal });
  const suspects = queues.filter((q) => (q.unacked ?? 0) > 0 && !hasAckMoved(q, previous)).map((q) => q.name);
  const consumers = suspects.length ? await port.consumers(target.vhost, suspects, { signal }) : undefined;
  return {
    at,
    ok: true,
    version: overview.version,
    queues,
    channels,
    ...(consumers ? { consumers } : {}),
    ...(overview.statisticsBacklog === undefined ? {} : { statisticsBacklog: overview.statisticsBacklog }),
  };
}

function hasAckMoved(queue: QueueStats, previous: SuccessfulPoll | undefined): boolean {
  const before = previous?.queues.find((q) => q.name === queue.name)?.counters.ack;
  const now = queue.counters.ack;
  return before !== undefined && now !== undefined && now > before;
}

export interface BrokerJudgeOutcome {
  opened: number;
  resolved: number;
  unknown: number;
}

/** Runs each broker kind over the recent polls, re-checking its open findings (read afresh), and stores the verdicts. */
export async function judgeBroker(
  findings: FindingsWriter,
  kinds: readonly ReconcilerReading<'broker'>[],
  polls: readonly BrokerPoll[],
  now: Date,
  settings: BrokerSettings,
): Promise<BrokerJudgeOutcome> {
  await findings.load(kinds.map((k) => k.kind));
  const judgements = kinds.flatMap((kind) =>
    kind.detect({ polls, openKeys: findings.openKeys(kind.kind) }, now, settings),
  );
  const { opened, resolved } = await findings.apply(judgements, now);
  return { opened, resolved, unknown: judgements.filter((j) => j.verdict === 'unknown').length };
}
