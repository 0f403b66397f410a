import type { BrokerDetectConfig, BrokerSnapshot, QueueStats, SuccessfulPoll } from './broker-types.ts';
import { type BrokerWindow, hasIncreased, heldSince, toBrokerWindow } from './broker-window.ts';
import type { Judgement, Verdict } from './types.ts';

export const KIND = 'unacked-stuck';

/**
 * A watched queue holding unacknowledged messages whose ack counter has not moved over `stuckPolls` consecutive
 * polls: a consumer took deliveries and is neither acking nor dying (a dead consumer's channel closes and its
 * deliveries go back to the queue). Keyed by the queue name. Recon can only watch: it cannot ack for another process.
 */
function detect(snapshot: BrokerSnapshot, now: Date, config: BrokerDetectConfig): Judgement[] {
  const view = toBrokerWindow(snapshot.polls, now, config);
  if (!view) return snapshot.openKeys.map((key) => judgement(key, 'unknown'));
  const open = new Set(snapshot.openKeys);
  const holding = view.latest.queues.filter((q) => (q.unacked ?? 0) > 0).map((q) => q.name);
  const judgements: Judgement[] = [];
  for (const name of new Set([...snapshot.openKeys, ...holding])) {
    const verdict = judgeQueue(name, view);
    if (verdict === 'mismatch') judgements.push(judgement(name, verdict, evidence(name, view)));
    else if (open.has(name)) judgements.push(judgement(name, verdict));
  }
  return judgements;
}

function judgeQueue(name: string, { latest, run, window }: BrokerWindow): Verdict {
  const current = find(latest, name);
  // Deleted, or nothing unacknowledged any more: whatever was stuck has been acked or requeued.
  if (!current || current.unacked === 0) return 'ok';
  if (current.unacked === undefined) return 'unknown';
  if (!window) return hasIncreased(acksOf(run, name)) ? 'ok' : 'unknown';
  const stats = window.map((poll) => find(poll, name));
  if (stats.some((q) => !q || q.unacked === 0)) return 'ok';
  if (stats.some((q) => q!.unacked === undefined)) return 'unknown';
  const moved = hasIncreased(acksOf(window, name));
  // Without an ack counter (statistics disabled) progress cannot be told from a stall.
  if (moved === undefined) return 'unknown';
  return moved ? 'ok' : 'mismatch';
}

function evidence(name: string, { latest, run }: BrokerWindow): Record<string, unknown> {
  const current = find(latest, name)!;
  const since = heldSince(run, (poll) => {
    const q = find(poll, name);
    return !!q && (q.unacked ?? 0) > 0 && ackCount(q) === ackCount(current);
  });
  const consumers = latest.consumers?.filter((c) => c.queue === name);
  return {
    queue: name,
    unacked: current.unacked,
    ready: current.ready ?? null,
    consumerCount: current.consumers ?? null,
    // Not read (null) is not the same as none ([]): consumers are read only for a queue that looks stuck.
    consumers:
      consumers?.map((c) => ({
        tag: c.tag,
        channel: c.channel ?? null,
        connection: c.connection ?? null,
        prefetch: c.prefetch ?? null,
        ackRequired: c.ackRequired ?? null,
      })) ?? null,
    ackCount: ackCount(current) ?? null,
    deliverCount: current.counters.deliver ?? null,
    redeliverCount: current.counters.redeliver ?? null,
    ackUnchangedSince: since?.toISOString() ?? null,
    lastPollAt: latest.at.toISOString(),
  };
}

const find = (poll: SuccessfulPoll, name: string): QueueStats | undefined => poll.queues.find((q) => q.name === name);
/** Versions differ in whether a zero counter is sent: a queue reporting other counters but no acks has had none. */
const ackCount = (q: QueueStats | undefined) =>
  q && (q.counters.ack ?? (Object.keys(q.counters).length > 0 ? 0 : undefined));
const acksOf = (polls: readonly SuccessfulPoll[], name: string) => polls.map((p) => ackCount(find(p, name)));

function judgement(key: string, verdict: Verdict, evidence?: Record<string, unknown>): Judgement {
  return { kind: KIND, key, verdict, severity: 'warning', ...(evidence ? { evidence } : {}) };
}

export const unackedStuck = { kind: KIND, detect } as const;
