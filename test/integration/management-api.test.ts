import amqp, { type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManagementApi, type ManagementApi } from '../../server/adapters/management-api.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { resumeQueue, suspendQueue } from '../support/queue-suspend.ts';
import { waitFor } from '../support/wait-for.ts';

// The adapter against the real management API: only the named queues and their consumers read, absent fields left
// undefined, channels holding unconfirmed publishes found broker-wide but kept to the vhost, one deadline honoured,
// credentials never in an error.

const HELD = 'jobs.held';
/** More confirm channels holding publishes than the adapter's first channel page (20). */
const HOLDING_CHANNELS = 22;

describe('management API adapter', () => {
  let env: IsolatedEnv;
  let api: ManagementApi;
  /** The same adapter forced to read watched queues by one name-filtered listing (the path for long lists). */
  let listing: ManagementApi;
  let connection: ChannelModel;
  let isSuspended = false;

  beforeAll(async () => {
    env = await createIsolatedEnv('management_api');
    api = createManagementApi({ url: env.managementUrl, timeoutMs: 5_000 });
    listing = createManagementApi({ url: env.managementUrl, timeoutMs: 5_000, maxQueuesByName: 0 });
    connection = await amqp.connect(env.rabbitmqUrl);
    const channel = await connection.createChannel();
    for (const name of ['jobs.a+b', 'jobs.axb', 'idle', HELD]) await channel.assertQueue(name);
    await channel.close();
  });
  afterAll(async () => {
    // A suspended queue would make the vhost undeletable: resume it whatever happened.
    if (isSuspended) await resumeQueue(env.vhost, HELD);
    await connection?.close().catch(() => {});
    await api?.close();
    await listing?.close();
    await env?.destroy();
  });

  const eventually = <T>(what: string, probe: () => Promise<T | undefined | false>) =>
    // The broker's statistics (behind every read) refresh every 5 s.
    waitFor(what, probe, { timeoutMs: 15_000, intervalMs: 500 });

  for (const [how, adapter] of [
    ['one by one', () => api],
    ['by a name-filtered listing', () => listing],
  ] as const) {
    it(`reads only the watched queues ${how}, names taken literally, a missing one absent`, async () => {
      const first = await adapter().watchedQueues(env.vhost, ['jobs.a+b', 'idle', 'missing']);
      expect(first.map((q) => q.name).sort()).toEqual(['idle', 'jobs.a+b']);
      expect(await adapter().watchedQueues(env.vhost, ['missing'])).toEqual([]);
      const idle = await eventually('the idle queue statistics', async () => {
        const queues = await adapter().watchedQueues(env.vhost, ['idle']);
        const q = queues[0];
        // Counts and consumer counts come from different statistics tables and may show up one refresh apart.
        return q?.ready !== undefined && q.unacked !== undefined && q.consumers !== undefined && q;
      });
      expect(idle).toMatchObject({ ready: 0, unacked: 0, consumers: 0 });
      // No traffic yet, so no counters: absent, not zero.
      expect(idle.counters.ack).toBeUndefined();
    });
  }

  it('reads the consumers of the named queues only, and the unacked counts they hold', async () => {
    const channel = await connection.createChannel();
    await channel.prefetch(2);
    await channel.consume('jobs.axb', () => {}, { consumerTag: 'holder' });
    await channel.consume('idle', () => {}, { consumerTag: 'elsewhere' });
    for (let i = 0; i < 2; i++) channel.sendToQueue('jobs.axb', Buffer.from('x'));
    const consumers = await eventually('the consumer', async () => {
      const listed = await api.consumers(env.vhost, ['jobs.axb', 'missing']);
      return listed && listed.length > 0 && listed;
    });
    expect(consumers).toEqual([
      expect.objectContaining({ tag: 'holder', queue: 'jobs.axb', ackRequired: true, prefetch: 2, isActive: true }),
    ]);
    expect(consumers[0]!.channel).toEqual(expect.any(String));
    expect(consumers[0]!.connection).toEqual(expect.any(String));
    expect(await api.consumers(env.vhost, ['jobs.a+b'])).toEqual([]);
    const queue = await eventually('the queue statistics to show the deliveries', async () => {
      const queues = await api.watchedQueues(env.vhost, ['jobs.axb']);
      // Counts and consumer counts come from different statistics tables and may show up one refresh apart.
      return queues[0]?.unacked === 2 && queues[0].counters.deliver === 2 && queues[0].consumers === 1 && queues[0];
    });
    expect(queue).toMatchObject({ consumers: 1, counters: { deliver: 2 } });
    const holder = await eventually('the channel statistics to show the deliveries', async () => {
      const listed = await api.channels(env.vhost);
      return listed.find((c) => c.name === consumers[0]!.channel && c.unacked === 2);
    });
    expect(holder).toMatchObject({ isConfirm: false, consumerCount: 2 });
    // Not a confirm channel, nothing unconfirmed: not listed when only those holding unconfirmed publishes are asked.
    expect(await api.channels(env.vhost, { unconfirmedOnly: true })).toEqual([]);
    await channel.close();
  });

  it("finds every channel holding unconfirmed publishes, past the first page, and only the vhost's", async () => {
    await suspendQueue(env.vhost, HELD);
    isSuspended = true;
    const publishers = await Promise.all(
      Array.from({ length: HOLDING_CHANNELS }, () => connection.createConfirmChannel()),
    );
    for (const [i, channel] of publishers.entries()) channel.sendToQueue(HELD, Buffer.from(`held ${i}`));
    const holding = await eventually('the channel statistics to show the unconfirmed publishes', async () => {
      const listed = await api.channels(env.vhost, { unconfirmedOnly: true });
      return listed.length === HOLDING_CHANNELS && listed;
    });
    expect(holding.every((c) => c.isConfirm === true && c.unconfirmed === 1)).toBe(true);
    expect(await api.channels('some-other-vhost', { unconfirmedOnly: true })).toEqual([]);
    // The queue's process hangs, yet reading it by name answers: the statistics tables serve it.
    expect(await api.watchedQueues(env.vhost, [HELD])).toEqual([expect.objectContaining({ name: HELD })]);
    await resumeQueue(env.vhost, HELD);
    isSuspended = false;
    await Promise.all(publishers.map((c) => c.waitForConfirms()));
    await Promise.all(publishers.map((c) => c.close()));
  });

  it('fails a read once the poll deadline has passed, saying why', async () => {
    const deadline = AbortSignal.abort(new Error('the poll took longer than its 5 ms budget'));
    await expect(api.watchedQueues(env.vhost, ['idle'], { signal: deadline })).rejects.toThrow(
      /GET \/api\/queues\/.+\/idle failed \(the poll took longer than its 5 ms budget\)/,
    );
  });

  it('names the request and the status in errors, never the credentials', async () => {
    // A missing vhost answers 404 for its queues as a missing queue does: it is told apart, not shown as "absent".
    await expect(api.watchedQueues('no-such-vhost', ['a'])).rejects.toThrow(
      /vhost "no-such-vhost" not found \(GET \/api\/vhosts\/no-such-vhost → 404\)/,
    );
    await expect(listing.watchedQueues('no-such-vhost', ['a'])).rejects.toThrow(
      /GET \/api\/queues\/no-such-vhost → 404/,
    );
    const url = new URL(env.managementUrl);
    url.password = 'not-the-password';
    const wrong = createManagementApi({ url: url.toString(), timeoutMs: 5_000 });
    const error = await wrong.overview().catch((e: Error) => e);
    await wrong.close();
    expect(String(error)).toMatch(/→ 401 \(check the credentials in RABBITMQ_MANAGEMENT_URL\)/);
    expect(String(error)).not.toContain('not-the-password');
  });
});
