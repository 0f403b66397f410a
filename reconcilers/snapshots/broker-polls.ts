import type { ChannelStats, ConsumerInfo, QueueStats } from '../ports/broker.ts';

/** One poll of the broker. A failed poll is kept too: the latest poll failing makes every broker verdict unknown. */
export type BrokerPoll =
  | {
      at: Date;
      ok: true;
      version?: string;
      /** Watched queues found on the broker (a missing one is deleted or not declared yet). */
      queues: QueueStats[];
      /** Channels of the watched vhost holding unconfirmed publishes (the only ones a finding can be about). */
      channels: ChannelStats[];
      /** Consumers of watched queues, read only when a queue looks stuck (evidence); undefined when not read. */
      consumers?: ConsumerInfo[];
      /** The overview's `statistics_db_event_queue`, when sent: a backlog slows the poller down. */
      statisticsBacklog?: number;
    }
  | { at: Date; ok: false; error: string };

export type SuccessfulPoll = Extract<BrokerPoll, { ok: true }>;

/** What a broker kind reads: the recent polls (oldest first) and its open findings, re-checked every poll. */
export interface BrokerSnapshot {
  polls: readonly BrokerPoll[];
  openKeys: readonly string[];
}
