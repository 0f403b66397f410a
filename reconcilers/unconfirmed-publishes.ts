import type { BrokerDetectConfig, BrokerSnapshot, ChannelStats, SuccessfulPoll } from './broker-types.ts';
import { type BrokerWindow, heldSince, toBrokerWindow } from './broker-window.ts';
import type { Judgement, Verdict } from './types.ts';

export const KIND = 'unconfirmed-publishes';

/**
 * A confirm-mode channel holding unconfirmed publishes over `stuckPolls` consecutive polls: the publisher is waiting
 * for the broker to take responsibility for messages and it is not coming (a queue that does not answer, a blocked
 * connection). Keyed by the channel name. A busy healthy publisher always has some publishes in flight, so a
 * channel whose confirms since the window began cover what was outstanding then is moving, not stuck.
 */
function detect(snapshot: BrokerSnapshot, now: Date, config: BrokerDetectConfig): Judgement[] {
  const view = toBrokerWindow(snapshot.polls, now, config);
  if (!view) return snapshot.openKeys.map((key) => judgement(key, 'unknown'));
  const open = new Set(snapshot.openKeys);
  const holding = view.latest.channels.filter(isHolding).map((c) => c.name);
  const judgements: Judgement[] = [];
  for (const name of new Set([...snapshot.openKeys, ...holding])) {
    const verdict = judgeChannel(name, view);
    if (verdict === 'mismatch') judgements.push(judgement(name, verdict, evidence(name, view)));
    else if (open.has(name)) judgements.push(judgement(name, verdict));
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

function evidence(name: string, { latest, run, window }: BrokerWindow): Record<string, unknown> {
  const current = find(latest, name)!;
  const since = heldSince(run, (poll) => {
    const c = find(poll, name);
    return !!c && isHolding(c) && c.counters.confirm === current.counters.confirm;
  });
  return {
    channel: name,
    connection: current.connection ?? null,
    peerHost: current.peerHost ?? null,
    unconfirmed: current.unconfirmed,
    /** The broker's gauge at each poll of the window, oldest first. */
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

function judgement(key: string, verdict: Verdict, evidence?: Record<string, unknown>): Judgement {
  return { kind: KIND, key, verdict, severity: 'warning', ...(evidence ? { evidence } : {}) };
}

export const unconfirmedPublishes = { kind: KIND, detect } as const;
