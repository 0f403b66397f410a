// What Recon reads from the broker's management API, in the domain's words. The adapter maps RabbitMQ's
// snake_case onto these; a field the broker did not send stays undefined (absent is not zero: a counter appears
// only once there was activity, and versions differ in what they send).

/** Cumulative message counters (`message_stats.*`) and their rates per second, where the broker sent them. */
export interface MessageCounters {
  publish?: number;
  deliver?: number;
  redeliver?: number;
  ack?: number;
  confirm?: number;
}

export interface QueueStats {
  name: string;
  ready?: number;
  unacked?: number;
  total?: number;
  consumers?: number;
  counters: MessageCounters;
  rates: MessageCounters;
}

export interface ChannelStats {
  /** The broker's channel name, e.g. `10.0.0.5:51234 -> 10.0.0.9:5672 (1)`: the finding key. */
  name: string;
  connection?: string;
  peerHost?: string;
  isConfirm?: boolean;
  unconfirmed?: number;
  unacked?: number;
  consumerCount?: number;
  counters: MessageCounters;
}

export interface ConsumerInfo {
  tag: string;
  queue: string;
  channel?: string;
  connection?: string;
  ackRequired?: boolean;
  prefetch?: number;
  isActive?: boolean;
}

/** The poll's gate: only what the poll acts on (the broker's message totals would be bytes read for nothing). */
export interface BrokerOverview {
  version?: string;
  /** Events the broker's statistics database has yet to process (`statistics_db_event_queue`): its numbers lag. */
  statisticsBacklog?: number;
  objectTotals: { connections?: number; channels?: number; consumers?: number; queues?: number };
}

/** A poll's deadline: when `signal` aborts, every request of the poll still under way is cancelled. */
export interface ReadOptions {
  signal?: AbortSignal;
}

/**
 * The management API as the poller needs it (server/adapters/management-api.ts implements it). Every read is of
 * the named queues or of what is stuck, never of everything in the vhost: its cost must not grow with the vhost.
 */
export interface ManagementPort {
  overview(options?: ReadOptions): Promise<BrokerOverview>;
  /** The named queues that exist; a name missing from the result is not declared (or deleted). */
  watchedQueues(vhost: string, names: readonly string[], options?: ReadOptions): Promise<QueueStats[]>;
  /** With `unconfirmedOnly`, only the channels holding unconfirmed publishes (the only ones a finding is about). */
  channels(vhost: string, options?: ReadOptions & { unconfirmedOnly?: boolean }): Promise<ChannelStats[]>;
  /** The consumers of the named queues only; undefined when the broker did not say (unknown, not none). */
  consumers(vhost: string, queues: readonly string[], options?: ReadOptions): Promise<ConsumerInfo[] | undefined>;
}
