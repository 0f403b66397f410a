import type { BrokerPoll, SuccessfulPoll } from '../../reconcilers/snapshots/broker-polls.ts';

/** How far back a backlog is judged: long enough to ride out one slow poll, short enough to show today's trend. */
const GROWTH_WINDOW_MS = 2 * 60_000;
/** A backlog seen growing for less than this may be one burst the consumers are about to take. */
const MIN_GROWTH_SPAN_MS = 60_000;
/** Growth below this many messages is noise at any rate a takeout platform runs at. */
const MIN_GROWTH_MESSAGES = 20;

export interface QueueAttention {
  /** Messages wait and nobody consumes them: the consumer is down or was never started. */
  hasReadyWithoutConsumers: boolean;
  /** Ready messages rose at every poll for a minute or more: the consumers are slower than the producers. */
  isBacklogGrowing: boolean;
}

/**
 * Whether the overview should highlight `queue`, from the poller's recent polls (oldest first). A failed poll in the
 * window proves nothing either way; it is skipped. Pure: the clock is an argument.
 */
export function queueAttention(polls: readonly BrokerPoll[], queue: string, now: Date): QueueAttention {
  const readings = polls
    .filter((p): p is SuccessfulPoll => p.ok && now.getTime() - p.at.getTime() <= GROWTH_WINDOW_MS)
    .flatMap((p) => {
      const q = p.queues.find((candidate) => candidate.name === queue);
      return q?.ready === undefined ? [] : [{ at: p.at.getTime(), ready: q.ready, consumers: q.consumers }];
    });
  const latest = readings.at(-1);
  const first = readings[0];
  if (!latest || !first) return { hasReadyWithoutConsumers: false, isBacklogGrowing: false };
  const isRising = readings.every((r, i) => i === 0 || r.ready >= readings[i - 1]!.ready);
  const growth = latest.ready - first.ready;
  return {
    hasReadyWithoutConsumers: latest.consumers === 0 && latest.ready > 0,
    isBacklogGrowing:
      isRising &&
      latest.at - first.at >= MIN_GROWTH_SPAN_MS &&
      growth >= Math.max(MIN_GROWTH_MESSAGES, first.ready / 5),
  };
}
