import { describe, expect, it } from 'vitest';
import { escapeRegex } from '../../server/adapters/management-api.ts';
import { toChannelStats, toConsumerInfo, toOverview, toQueueStats } from '../../server/adapters/management-mapping.ts';

// Replies as RabbitMQ 3.10 sent them with the adapter's `columns=`.

describe('management API mapping', () => {
  it('maps a queue with statistics to camelCase, counters and rates', () => {
    const raw = {
      name: 'dispatch.order-created',
      messages: 6,
      messages_ready: 4,
      messages_unacknowledged: 2,
      consumers: 1,
      message_stats: { ack: 4, ack_details: { rate: 0.8 }, deliver: 6, publish: 10, publish_details: { rate: 2 } },
    };
    expect(toQueueStats(raw)).toEqual({
      name: 'dispatch.order-created',
      ready: 4,
      unacked: 2,
      total: 6,
      consumers: 1,
      counters: { ack: 4, deliver: 6, publish: 10 },
      rates: { ack: 0.8, publish: 2 },
    });
  });

  it('leaves what the broker did not send undefined, never 0', () => {
    // A queue that never saw traffic has no message_stats; with columns, one with none of the asked keys has `[]`.
    for (const raw of [{ name: 'idle' }, { name: 'idle', message_stats: [] }]) {
      const queue = toQueueStats(raw);
      expect(queue).toEqual({ name: 'idle', counters: {}, rates: {} });
      expect(queue.ready).toBeUndefined();
      expect(queue.counters.ack).toBeUndefined();
    }
  });

  it('maps a confirm channel with its connection', () => {
    const raw = {
      name: '127.0.0.1:52050 -> 127.0.0.1:5672 (1)',
      confirm: true,
      messages_unconfirmed: 5,
      messages_unacknowledged: 0,
      consumer_count: 0,
      connection_details: { name: '127.0.0.1:52050 -> 127.0.0.1:5672', peer_host: '127.0.0.1', peer_port: 52050 },
      message_stats: { confirm: 0, publish: 5 },
    };
    expect(toChannelStats(raw)).toEqual({
      name: '127.0.0.1:52050 -> 127.0.0.1:5672 (1)',
      connection: '127.0.0.1:52050 -> 127.0.0.1:5672',
      peerHost: '127.0.0.1',
      isConfirm: true,
      unconfirmed: 5,
      unacked: 0,
      consumerCount: 0,
      counters: { confirm: 0, publish: 5 },
    });
  });

  it('maps a consumer with its queue and channel (a queue reply with consumer_details.* columns)', () => {
    const raw = {
      consumer_tag: 'never-acks',
      queue: { name: 'a.one' },
      channel_details: { name: 'c (2)', connection_name: 'c' },
      ack_required: true,
      prefetch_count: 3,
      active: true,
    };
    expect(toConsumerInfo(raw)).toEqual({
      tag: 'never-acks',
      queue: 'a.one',
      channel: 'c (2)',
      connection: 'c',
      ackRequired: true,
      prefetch: 3,
      isActive: true,
    });
  });

  it('maps the overview gate', () => {
    const raw = {
      rabbitmq_version: '3.10.8',
      object_totals: { channels: 3, connections: 1, consumers: 2, queues: 5 },
      statistics_db_event_queue: 0,
    };
    expect(toOverview(raw)).toEqual({
      version: '3.10.8',
      statisticsBacklog: 0,
      objectTotals: { channels: 3, connections: 1, consumers: 2, queues: 5 },
    });
  });

  it('leaves the statistics backlog out of an overview that does not send it', () => {
    expect(toOverview({ rabbitmq_version: '3.10.8' })).not.toHaveProperty('statisticsBacklog');
  });

  it('escapes queue names for the server-side regex filter', () => {
    expect(escapeRegex('dispatch.order-created')).toBe('dispatch\\.order-created');
    expect(escapeRegex('a+b(c)|d')).toBe('a\\+b\\(c\\)\\|d');
  });
});
