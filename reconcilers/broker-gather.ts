import type { ManagementPort, QueueStats, SuccessfulPoll } from './broker-types.ts';

/**
 * One poll of the broker, cheapest first: the overview answers (or not) for the whole API, then one filtered request
 * for the watched queues and one for the channels holding unconfirmed publishes. Consumers are read only when a
 * watched queue holds unacked messages whose ack counter stood still since the previous poll: they are evidence for
 * a finding, and in a healthy system that request is never made.
 */
export async function gatherBrokerPoll(
  port: ManagementPort,
  target: { vhost: string; watchedQueues: readonly string[] },
  previous: SuccessfulPoll | undefined,
  at: Date,
): Promise<SuccessfulPoll> {
  const overview = await port.overview();
  const queues = target.watchedQueues.length ? await port.watchedQueues(target.vhost, target.watchedQueues) : [];
  // The totals are broker-wide: no channel anywhere means none in the watched vhost either.
  const channels =
    overview.objectTotals.channels === 0 ? [] : await port.channels(target.vhost, { unconfirmedOnly: true });
  const suspects = queues.filter((q) => (q.unacked ?? 0) > 0 && !hasAckMoved(q, previous));
  const watched = new Set(suspects.map((q) => q.name));
  const consumers = watched.size ? (await port.consumers(target.vhost)).filter((c) => watched.has(c.queue)) : undefined;
  return { at, ok: true, version: overview.version, queues, channels, ...(consumers ? { consumers } : {}) };
}

function hasAckMoved(queue: QueueStats, previous: SuccessfulPoll | undefined): boolean {
  const before = previous?.queues.find((q) => q.name === queue.name)?.counters.ack;
  const now = queue.counters.ack;
  return before !== undefined && now !== undefined && now > before;
}
