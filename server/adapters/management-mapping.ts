import type {
  BrokerOverview,
  ChannelStats,
  ConsumerInfo,
  MessageCounters,
  QueueStats,
} from '../../reconcilers/ports/broker.ts';

// RabbitMQ's snake_case JSON → the domain's types. A field the broker did not send stays undefined, never 0: keys
// appear only with activity, and versions differ. With `columns=`, a `message_stats` none of whose requested keys
// exist comes back as `[]` (an empty Erlang proplist), which is "no counters", not a list.

type Raw = Record<string, unknown>;

const COUNTERS = ['publish', 'deliver', 'redeliver', 'ack', 'confirm'] as const;

export function toQueueStats(raw: Raw): QueueStats {
  const stats = objectOf(raw.message_stats);
  return {
    name: String(raw.name),
    ready: numberOf(raw.messages_ready),
    unacked: numberOf(raw.messages_unacknowledged),
    total: numberOf(raw.messages),
    consumers: numberOf(raw.consumers),
    counters: countersOf(stats),
    rates: ratesOf(stats),
  };
}

export function toChannelStats(raw: Raw): ChannelStats {
  const connection = objectOf(raw.connection_details);
  return {
    name: String(raw.name),
    connection: stringOf(connection?.name),
    peerHost: stringOf(connection?.peer_host),
    isConfirm: booleanOf(raw.confirm),
    unconfirmed: numberOf(raw.messages_unconfirmed),
    unacked: numberOf(raw.messages_unacknowledged),
    consumerCount: numberOf(raw.consumer_count),
    counters: countersOf(objectOf(raw.message_stats)),
  };
}

export function toConsumerInfo(raw: Raw): ConsumerInfo {
  const channel = objectOf(raw.channel_details);
  return {
    tag: String(raw.consumer_tag),
    queue: String(objectOf(raw.queue)?.name),
    channel: stringOf(channel?.name),
    connection: stringOf(channel?.connection_name),
    ackRequired: booleanOf(raw.ack_required),
    prefetch: numberOf(raw.prefetch_count),
    isActive: booleanOf(raw.active),
  };
}

export function toOverview(raw: Raw): BrokerOverview {
  const objects = objectOf(raw.object_totals);
  const backlog = numberOf(raw.statistics_db_event_queue);
  return {
    version: stringOf(raw.rabbitmq_version),
    ...(backlog === undefined ? {} : { statisticsBacklog: backlog }),
    objectTotals: {
      connections: numberOf(objects?.connections),
      channels: numberOf(objects?.channels),
      consumers: numberOf(objects?.consumers),
      queues: numberOf(objects?.queues),
    },
  };
}

function countersOf(stats: Raw | undefined): MessageCounters {
  const counters: MessageCounters = {};
  for (const key of COUNTERS) {
    const value = numberOf(stats?.[key]);
    if (value !== undefined) counters[key] = value;
  }
  return counters;
}

function ratesOf(stats: Raw | undefined): MessageCounters {
  const rates: MessageCounters = {};
  for (const key of COUNTERS) {
    const value = numberOf(objectOf(stats?.[`${key}_details`])?.rate);
    if (value !== undefined) rates[key] = value;
  }
  return rates;
}

const numberOf = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const stringOf = (v: unknown) => (typeof v === 'string' ? v : undefined);
const booleanOf = (v: unknown) => (typeof v === 'boolean' ? v : undefined);
const objectOf = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : undefined);
