import type { BrokerPoll, SuccessfulPoll } from '../../reconcilers/snapshots/broker-polls.ts';
import type { BrokerView } from '../broker-poller.ts';
import { queueAttention } from './queue-attention.ts';
import type { QueueHistoryPointJson, QueueNowJson } from './wire.ts';

// The watched queues as the API shows them, from the poller's memory (a page view never polls the broker). Fields
// the broker did not send are left out of the JSON rather than shown as 0.

/** A watched queue as GET /api/overview sends it (see QueueNowJson), `at` still a Date. */
export type QueueNow = Omit<QueueNowJson, 'at'> & { at: Date | null };

export type QueueHistoryPoint = Omit<QueueHistoryPointJson, 'at'> & { at: Date };

export function toQueuesNow(view: BrokerView, now: Date): QueueNow[] {
  const polls = view.polls();
  const latest = lastSuccessful(polls);
  const isStale = !isFresh(view, now);
  const unknown = { hasReadyWithoutConsumers: false, isBacklogGrowing: false };
  return view.watchedQueues.map((name) => {
    if (!latest) return { name, exists: null, at: null, isStale: true, ...unknown };
    const q = latest.queues.find((queue) => queue.name === name);
    if (!q) return { name, exists: false, at: latest.at, isStale, ...unknown };
    const { ready, unacked, total, consumers, rates } = q;
    // Stale numbers say nothing about now: no highlight on them, the stale badge speaks instead.
    const attention = isStale ? unknown : queueAttention(polls, name, now);
    return { name, exists: true, at: latest.at, isStale, ready, unacked, total, consumers, rates, ...attention };
  });
}

/**
 * The polls since `from`, oldest first: the recent polls at their own interval, and before them the poller's
 * per-minute samples, so every chart of the overview covers the same window.
 */
export function toQueueHistory(view: BrokerView, from: Date): QueueHistoryPoint[] {
  const recent = view.polls();
  const recentFrom = recent[0]?.at.getTime() ?? Number.POSITIVE_INFINITY;
  const older = (view.minutePolls?.() ?? []).filter((p) => p.at.getTime() < recentFrom);
  return [...older, ...recent]
    .filter((p) => p.at >= from)
    .map((poll) => ({
      at: poll.at,
      ok: poll.ok,
      queues: poll.ok
        ? poll.queues.map(({ name, ready, unacked, consumers, rates }) => ({ name, ready, unacked, consumers, rates }))
        : [],
    }));
}

/** Whether the latest poll succeeded and is recent: only then are its numbers "current". */
export function isFresh(view: BrokerView, now: Date): boolean {
  const latest = view.polls().at(-1);
  return !!latest?.ok && now.getTime() - latest.at.getTime() <= view.staleAfterMs;
}

const lastSuccessful = (polls: readonly BrokerPoll[]) => polls.findLast((p): p is SuccessfulPoll => p.ok);

/** For an order's timeline: how deep the watched queues are right now, or null when that is not known fresh. */
export function toBrokerNow(view: BrokerView, now: Date) {
  if (!isFresh(view, now)) return null;
  const queues = toQueuesNow(view, now).map(({ name, exists, ready, unacked, consumers }) => ({
    name,
    exists,
    ready,
    unacked,
    consumers,
  }));
  return { at: view.polls().at(-1)!.at, queues };
}
