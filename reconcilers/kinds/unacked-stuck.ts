import { type Advice, type BrokerSettings, defineKind } from '../define-kind.ts';
import type { QueueStats } from '../ports/broker.ts';
import type { BrokerSnapshot, SuccessfulPoll } from '../snapshots/broker-polls.ts';
import { type BrokerWindow, hasIncreased, heldSince, toBrokerWindow } from '../snapshots/broker-window.ts';
import { type Judgement, judgementsOf, type Verdict } from '../vocabulary.ts';

const KIND = 'unacked-stuck';

export interface UnackedStuckEvidence {
  queue: string;
  unacked: number;
  ready: number | null;
  consumerCount: number | null;
  /** Not read (null) is not the same as none ([]): consumers are read only for a queue that looks stuck. */
  consumers: Array<{
    tag: string;
    channel: string | null;
    connection: string | null;
    prefetch: number | null;
    ackRequired: boolean | null;
  }> | null;
  ackCount: number | null;
  deliverCount: number | null;
  redeliverCount: number | null;
  /** ISO time since which the ack counter stood still with deliveries unacked. */
  ackUnchangedSince: string | null;
  lastPollAt: string;
}

const judge = judgementsOf<typeof KIND, UnackedStuckEvidence>(KIND, 'warning');

/**
 * A watched queue holding unacknowledged messages whose ack counter has not moved over `stuckPolls` consecutive
 * polls: a consumer took deliveries and is neither acking nor dying (a dead consumer's channel closes and its
 * deliveries go back to the queue). Keyed by the queue name. Recon can only watch: it cannot ack for another process.
 */
function detect(snapshot: BrokerSnapshot, now: Date, settings: BrokerSettings) {
  const view = toBrokerWindow(snapshot.polls, now, settings);
  if (!view) return snapshot.openKeys.map(judge.unknown);
  const open = new Set(snapshot.openKeys);
  const holding = view.latest.queues.filter((q) => (q.unacked ?? 0) > 0).map((q) => q.name);
  const judgements: Judgement<typeof KIND, UnackedStuckEvidence>[] = [];
  for (const name of new Set([...snapshot.openKeys, ...holding])) {
    const verdict = judgeQueue(name, view);
    if (verdict === 'mismatch') judgements.push(judge.mismatch(name, evidence(name, view)));
    else if (open.has(name)) judgements.push(verdict === 'ok' ? judge.ok(name) : judge.unknown(name));
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

function evidence(name: string, { latest, run }: BrokerWindow): UnackedStuckEvidence {
  const current = find(latest, name)!;
  const since = heldSince(run, (poll) => {
    const q = find(poll, name);
    return !!q && (q.unacked ?? 0) > 0 && ackCount(q) === ackCount(current);
  });
  const consumers = latest.consumers?.filter((c) => c.queue === name);
  return {
    queue: name,
    // judgeQueue found it holding a known number of unacked deliveries.
    unacked: current.unacked!,
    ready: current.ready ?? null,
    consumerCount: current.consumers ?? null,
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

export const unackedStuck = defineKind({
  kind: KIND,
  title: 'Unacked messages stuck',
  severity: 'warning',
  reads: 'broker',
  detect,
  explain: (e: UnackedStuckEvidence) =>
    `Queue ${e.queue} holds ${e.unacked} delivered, unacknowledged message(s) and its consumers have acked nothing` +
    `${e.ackUnchangedSince ? ` since ${e.ackUnchangedSince}` : ''}: a consumer took them and is stuck.`,
  cause: causeOf,
  recommend: recommendFor,
  example: {
    key: 'dispatch.order-created',
    evidence: {
      queue: 'dispatch.order-created',
      unacked: 20,
      ready: 180,
      consumerCount: 1,
      consumers: [
        {
          tag: 'amq.ctag-1',
          channel: '10.0.0.5:51234 -> 10.0.0.9:5672 (1)',
          connection: null,
          prefetch: 20,
          ackRequired: true,
        },
      ],
      ackCount: 5120,
      deliverCount: 5140,
      redeliverCount: 0,
      ackUnchangedSince: '2026-11-23T12:00:00.000Z',
      lastPollAt: '2026-11-23T12:00:15.000Z',
    },
  },
  subjects: () => ({ orderId: null, messageId: null }),
  repairs: {},
});

function causeOf(e: UnackedStuckEvidence): string {
  const waiting = e.ready ? ` Meanwhile ${e.ready} message(s) wait behind them.` : '';
  return (
    `A consumer holds ${e.unacked} delivery(ies) and acks nothing: it is alive (a dead consumer's deliveries go ` +
    `back to the queue) but hung, on a call without a timeout or a deadlock.${waiting}`
  );
}

function recommendFor(e: UnackedStuckEvidence): Advice<never> {
  const who = e.consumers?.[0]?.connection ?? e.consumers?.[0]?.channel;
  return {
    action: null,
    why:
      `Restart the stuck consumer${who ? ` (${who})` : ''}: its unacked deliveries go back to the queue and are ` +
      'delivered again. Recon cannot ack for another process.',
  };
}
