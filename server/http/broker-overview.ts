import type { QueueStats } from '../../reconcilers/ports/broker.ts';
import type { BrokerPoll, SuccessfulPoll } from '../../reconcilers/snapshots/broker-polls.ts';
import type { BrokerView } from '../broker-poller.ts';

// The watched queues as the API shows them, from the poller's memory (a page view never polls the broker). Fields
// the broker did not send are left out of the JSON rather than shown as 0.

export interface QueueNow {
  name: string;
  /** False when the broker has no such queue in the watched vhost (deleted, or not declared yet); null: never read. */
  exists: boolean | null;
  /** When these numbers were read; null when the broker was never read. */
  at: Date | null;
  /** True when the latest poll failed or is stale: the numbers are the last known, not current. */
  isStale: boolean;
  ready?: number;
  unacked?: number;
  total?: number;
  consumers?: number;
  rates?: QueueStats['rates'];
}

export interface QueueHistoryPoint {
  at: Date;
  ok: boolean;
  queues: Array<{ name: string; ready?: number; unacked?: number; consumers?: number; rates: QueueStats['rates'] }>;
}

export function toQueuesNow(view: BrokerView, now: Date): QueueNow[] {
  const polls = view.polls();
  const latest = lastSuccessful(polls);
  const isStale = !isFresh(view, now);
  return view.watchedQueues.map((name) => {
    if (!latest) return { name, exists: null, at: null, isStale: true };
    const q = latest.queues.find((queue) => queue.name === name);
    if (!q) return { name, exists: false, at: latest.at, isStale };
    const { ready, unacked, total, consumers, rates } = q;
    return { name, exists: true, at: latest.at, isStale, ready, unacked, total, consumers, rates };
  });
}

export function toQueueHistory(view: BrokerView): QueueHistoryPoint[] {
  return view.polls().map((poll) => ({
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
