import { type Advice, type BrokerSettings, defineKind } from '../define-kind.ts';
import type { ChannelStats } from '../ports/broker.ts';
import type { BrokerSnapshot, SuccessfulPoll } from '../snapshots/broker-polls.ts';
import { type BrokerWindow, heldSince, toBrokerWindow } from '../snapshots/broker-window.ts';
import { type Judgement, judgementsOf, type Verdict } from '../vocabulary.ts';

const KIND = 'unconfirmed-publishes';

export interface UnconfirmedPublishesEvidence {
  channel: string;
  connection: string | null;
  peerHost: string | null;
  unconfirmed: number;
  /** The broker's gauge at each poll of the window, oldest first. */
  unconfirmedByPoll: Array<number | null>;
  publishCount: number | null;
  confirmCount: number | null;
  /** ISO time since which the channel held unconfirmed publishes with no confirm coming. */
  unconfirmedSince: string | null;
  lastPollAt: string;
}

const judge = judgementsOf<typeof KIND, UnconfirmedPublishesEvidence>(KIND, 'warning');

/**
 * A confirm-mode channel holding unconfirmed publishes over `stuckPolls` consecutive polls: the publisher is waiting
 * for the broker to take responsibility for messages and it is not coming (a queue that does not answer, a blocked
 * connection). Keyed by the channel name. A busy healthy publisher always has some publishes in flight, so a
 * channel whose confirms since the window began cover what was outstanding then is moving, not stuck.
 */
function detect(snapshot: BrokerSnapshot, now: Date, settings: BrokerSettings) {
  const view = toBrokerWindow(snapshot.polls, now, settings);
  if (!view) return snapshot.openKeys.map(judge.unknown);
  const open = new Set(snapshot.openKeys);
  const holding = view.latest.channels.filter(isHolding).map((c) => c.name);
  const judgements: Judgement<typeof KIND, UnconfirmedPublishesEvidence>[] = [];
  for (const name of new Set([...snapshot.openKeys, ...holding])) {
    const verdict = judgeChannel(name, view);
    if (verdict === 'mismatch') judgements.push(judge.mismatch(name, evidence(name, view)));
    else if (open.has(name)) judgements.push(verdict === 'ok' ? judge.ok(name) : judge.unknown(name));
  }
  return judgements;
}

function judgeChannel(name: string, { latest, window }: BrokerWindow): Verdict {
  const current = find(latest, name);
  // The poll lists every channel with unconfirmed publishes, so one missing is closed or fully confirmed.
  if (!current || current.unconfirmed === 0 || current.isConfirm === false) return 'ok';
  if (current.unconfirmed === undefined) return 'unknown';
  if (!window) return 'unknown';
  const stats = window.map((poll) => find(poll, name));
  if (stats.some((c) => !c || c.unconfirmed === 0)) return 'ok';
  if (stats.some((c) => c!.unconfirmed === undefined)) return 'unknown';
  const first = stats[0]!;
  // A counter appears with its first activity: absent at the start but present now means it started from zero.
  const confirmedBefore = first.counters.confirm ?? (current.counters.confirm === undefined ? undefined : 0);
  const confirmedSince = diff(current.counters.confirm, confirmedBefore);
  // Confirms mostly arrive in order: as many confirms as were outstanding at the start means those went through.
  // Without counters (statistics off) the broker's own gauge is all there is, and it held.
  if (confirmedSince !== undefined && confirmedSince >= first.unconfirmed!) return 'ok';
  return 'mismatch';
}

function evidence(name: string, { latest, run, window }: BrokerWindow): UnconfirmedPublishesEvidence {
  const current = find(latest, name)!;
  const since = heldSince(run, (poll) => {
    const c = find(poll, name);
    return !!c && isHolding(c) && c.counters.confirm === current.counters.confirm;
  });
  return {
    channel: name,
    connection: current.connection ?? null,
    peerHost: current.peerHost ?? null,
    // judgeChannel found it holding a known number of unconfirmed publishes.
    unconfirmed: current.unconfirmed!,
    unconfirmedByPoll: window?.map((poll) => find(poll, name)?.unconfirmed ?? null) ?? [],
    publishCount: current.counters.publish ?? null,
    confirmCount: current.counters.confirm ?? null,
    unconfirmedSince: since?.toISOString() ?? null,
    lastPollAt: latest.at.toISOString(),
  };
}

const isHolding = (c: ChannelStats) => c.isConfirm !== false && (c.unconfirmed ?? 0) > 0;
const find = (poll: SuccessfulPoll, name: string) => poll.channels.find((c) => c.name === name);
const diff = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : a - b);

export const unconfirmedPublishes = defineKind({
  kind: KIND,
  title: 'Unconfirmed publishes',
  severity: 'warning',
  reads: 'broker',
  detect,
  explain: (e: UnconfirmedPublishesEvidence) =>
    `Channel ${e.channel} of connection ${e.connection ?? '(unknown)'} holds ${e.unconfirmed} publish(es) the broker ` +
    `has not confirmed${e.unconfirmedSince ? ` since ${e.unconfirmedSince}` : ''}: the publisher is waiting and ` +
    'nothing comes back.',
  cause: causeOf,
  recommend: recommendFor,
  example: {
    key: '10.0.0.5:51234 -> 10.0.0.9:5672 (1)',
    evidence: {
      channel: '10.0.0.5:51234 -> 10.0.0.9:5672 (1)',
      connection: '10.0.0.5:51234 -> 10.0.0.9:5672',
      peerHost: '10.0.0.5',
      unconfirmed: 3,
      unconfirmedByPoll: [3, 3, 3],
      publishCount: 100,
      confirmCount: 97,
      unconfirmedSince: '2026-11-23T12:00:00.000Z',
      lastPollAt: '2026-11-23T12:00:15.000Z',
    },
  },
  subjects: () => ({ orderId: null, messageId: null }),
  repairs: {},
});

function causeOf(e: UnconfirmedPublishesEvidence): string {
  const [first, ...rest] = e.unconfirmedByPoll.filter((n): n is number => n !== null);
  const isGrowing = first !== undefined && rest.length > 0 && rest.at(-1)! > first;
  return isGrowing
    ? 'The publisher keeps sending and the broker confirms nothing: the broker is blocking publishers (a memory or disk alarm) or cannot write.'
    : 'The broker has not answered these publishes for several polls: a stuck channel, or a broker under flow control.';
}

function recommendFor(_e: UnconfirmedPublishesEvidence): Advice<never> {
  return {
    action: null,
    why:
      "Check the broker's alarms (memory, disk) and its logs; if the broker is healthy, restart the publisher. " +
      'Messages it never got confirmed stay in its outbox and go out again.',
  };
}
