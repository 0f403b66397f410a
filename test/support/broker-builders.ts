import type { BrokerSettings } from '../../reconcilers/define-kind.ts';
import type { ChannelStats, QueueStats } from '../../reconcilers/ports/broker.ts';
import type { BrokerPoll, SuccessfulPoll } from '../../reconcilers/snapshots/broker-polls.ts';
import { NOW } from './builders.ts';

export { NOW };
export const QUEUE = 'dispatch.order-created';
export const CHANNEL = '10.0.0.5:51234 -> 10.0.0.9:5672 (1)';
/** Three polls, judged at the broker's default poll interval. */
export const BROKER_CONFIG: BrokerSettings = { stuckPolls: 3, staleAfterMs: 20_000 };
export const POLL_INTERVAL_MS = 5_000;

export function makeQueue(overrides: Partial<QueueStats> = {}): QueueStats {
  return { name: QUEUE, ready: 0, unacked: 4, total: 4, consumers: 1, counters: { ack: 10 }, rates: {}, ...overrides };
}

export function makeChannel(overrides: Partial<ChannelStats> = {}): ChannelStats {
  return {
    name: CHANNEL,
    connection: '10.0.0.5:51234 -> 10.0.0.9:5672',
    isConfirm: true,
    unconfirmed: 3,
    counters: { publish: 100, confirm: 97 },
    ...overrides,
  };
}

/**
 * Successful polls `intervalMs` apart, the last one at NOW; `each(i)` gives poll i's queues/channels (oldest first).
 */
export function makePolls(
  count: number,
  each: (i: number) => Partial<Pick<SuccessfulPoll, 'queues' | 'channels' | 'consumers'>>,
  intervalMs = POLL_INTERVAL_MS,
): BrokerPoll[] {
  return Array.from({ length: count }, (_, i) => ({
    at: new Date(NOW.getTime() - (count - 1 - i) * intervalMs),
    ok: true as const,
    queues: [],
    channels: [],
    ...each(i),
  }));
}

export function makeFailedPoll(at = NOW): BrokerPoll {
  return { at, ok: false, error: 'GET /api/overview failed: connect ECONNREFUSED' };
}
