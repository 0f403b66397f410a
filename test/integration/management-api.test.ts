import amqp, { type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManagementApi, type ManagementApi } from '../../server/adapters/management-api.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { waitFor } from '../support/wait-for.ts';

// The adapter against the real management API: names filtered on the server, absent fields left undefined,
// credentials never in an error.

describe('management API adapter', () => {
  let env: IsolatedEnv;
  let api: ManagementApi;
  let connection: ChannelModel;

  beforeAll(async () => {
    env = await createIsolatedEnv('management_api');
    api = createManagementApi({ url: env.managementUrl, timeoutMs: 5_000 });
    connection = await amqp.connect(env.rabbitmqUrl);
    const channel = await connection.createChannel();
    for (const name of ['jobs.a+b', 'jobs.axb', 'idle']) await channel.assertQueue(name);
    await channel.close();
  });
  afterAll(async () => {
    await connection?.close().catch(() => {});
    await api?.close();
    await env?.destroy();
  });

  const eventually = <T>(what: string, probe: () => Promise<T | undefined | false>) =>
    // The broker's statistics (behind every listing) refresh every 5 s.
    waitFor(what, probe, { timeoutMs: 15_000, intervalMs: 500 });

  it('reads only the watched queues, matching their names literally, absent fields left undefined', async () => {
    const first = await api.watchedQueues(env.vhost, ['jobs.a+b', 'idle', 'missing']);
    expect(first.map((q) => q.name).sort()).toEqual(['idle', 'jobs.a+b']);
    const idle = await eventually('the idle queue statistics', async () => {
      const queues = await api.watchedQueues(env.vhost, ['idle']);
      const q = queues[0];
      // Counts and consumer counts come from different statistics tables and may show up one refresh apart.
      return q?.ready !== undefined && q.unacked !== undefined && q.consumers !== undefined && q;
    });
    expect(idle).toMatchObject({ ready: 0, unacked: 0, consumers: 0 });
    // No traffic yet, so no counters: absent, not zero.
    expect(idle.counters.ack).toBeUndefined();
  });

  it('reads the consumers and their channels, and the unacked counts they hold', async () => {
    const channel = await connection.createChannel();
    await channel.prefetch(2);
    await channel.consume('jobs.axb', () => {}, { consumerTag: 'holder' });
    for (let i = 0; i < 2; i++) channel.sendToQueue('jobs.axb', Buffer.from('x'));
    const consumers = await eventually('the consumer', async () => {
      const listed = await api.consumers(env.vhost);
      return listed.length > 0 && listed;
    });
    expect(consumers).toEqual([expect.objectContaining({ tag: 'holder', queue: 'jobs.axb', ackRequired: true })]);
    expect(consumers[0]!.channel).toEqual(expect.any(String));
    const queue = await eventually('the queue statistics to show the deliveries', async () => {
      const queues = await api.watchedQueues(env.vhost, ['jobs.axb']);
      return queues[0]?.unacked === 2 && queues[0].counters.deliver === 2 && queues[0];
    });
    expect(queue.counters.deliver).toBe(2);
    const holder = await eventually('the channel statistics to show the deliveries', async () => {
      const listed = await api.channels(env.vhost);
      return listed.find((c) => c.name === consumers[0]!.channel && c.unacked === 2);
    });
    expect(holder).toMatchObject({ isConfirm: false, consumerCount: 1 });
    // Not a confirm channel, nothing unconfirmed: not listed when only those holding unconfirmed publishes are asked.
    expect(await api.channels(env.vhost, { unconfirmedOnly: true })).toEqual([]);
    await channel.close();
  });

  it('names the request and the status in errors, never the credentials', async () => {
    await expect(api.watchedQueues('no-such-vhost', ['a'])).rejects.toThrow(/GET \/api\/queues\/no-such-vhost → 404/);
    const url = new URL(env.managementUrl);
    url.password = 'not-the-password';
    const wrong = createManagementApi({ url: url.toString(), timeoutMs: 5_000 });
    const error = await wrong.overview().catch((e: Error) => e);
    await wrong.close();
    expect(String(error)).toMatch(/→ 401 \(check the credentials in RABBITMQ_MANAGEMENT_URL\)/);
    expect(String(error)).not.toContain('not-the-password');
  });
});
