import amqp, { type ChannelModel, type ConsumeMessage } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recon } from '../../server/recon.ts';
import { readApi } from '../support/actions.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { disableManagementPlugin, enableManagementPlugins } from '../support/management-plugin.ts';
import { metricValue } from '../support/metrics.ts';
import { openKeys, startTestRecon } from '../support/recon-harness.ts';
import { sleep, waitFor } from '../support/wait-for.ts';

const QUEUE = 'work.stuck';
const HELD = 3;
const WAIT = { timeoutMs: 60_000, intervalMs: 500 };
const SOURCE_UP = 'recon_source_up{source="rabbitmq"}';

describe('the management plugin disabled mid-run', () => {
  let env: IsolatedEnv;
  let recon: Recon;
  let connection: ChannelModel;

  beforeAll(async () => {
    env = await createIsolatedEnv('management_down');
    connection = await amqp.connect(env.rabbitmqUrl);
    recon = await startTestRecon(env, {
      RECON_WATCHED_QUEUES: QUEUE,
      RECON_BROKER_POLL_INTERVAL_SECONDS: '2',
      // Polls faster than the broker's 5 s statistics refresh (the default floor): a faster test.
      RECON_BROKER_STATISTICS_INTERVAL_SECONDS: '1',
      RECON_BROKER_STUCK_POLLS: '3',
      RECON_MANAGEMENT_TIMEOUT_SECONDS: '2',
    });
  });
  afterAll(async () => {
    // Whatever happened, the next test (and every other user of this broker) needs the management API back.
    await enableManagementPlugins();
    await connection?.close().catch(() => {});
    await recon?.stop();
    await env?.destroy();
  });

  it('keeps broker findings as they were (unknown), reports the source down, then recovers', async () => {
    const channel = await connection.createChannel();
    await channel.assertQueue(QUEUE, { durable: true });
    await channel.prefetch(HELD);
    const held: ConsumeMessage[] = [];
    await channel.consume(QUEUE, (msg) => msg && held.push(msg), { noAck: false });
    for (let i = 0; i < HELD; i++) channel.sendToQueue(QUEUE, Buffer.from(`job ${i}`));
    await waitFor('unacked-stuck to open', async () => (await openKeys(recon, 'unacked-stuck')).includes(QUEUE), WAIT);
    expect(await metricValue(recon, SOURCE_UP)).toBe(1);

    try {
      await disableManagementPlugin();
      await waitFor('the rabbitmq source to go down', async () => (await metricValue(recon, SOURCE_UP)) === 0, WAIT);
      // The stuck consumer acks while Recon cannot see it: the finding must stay open (unknown), not resolve.
      for (const msg of held) channel.ack(msg);
      await sleep(8_000);
      expect(await openKeys(recon, 'unacked-stuck')).toEqual([QUEUE]);
      expect(await openKeys(recon, 'unconfirmed-publishes')).toEqual([]);
      const overview = (await (await readApi(recon, '/api/overview')).json()) as {
        queues: Array<{ name: string; isStale: boolean; unacked?: number }>;
      };
      expect(overview.queues).toEqual([expect.objectContaining({ name: QUEUE, isStale: true, unacked: HELD })]);
      expect(await metricValue(recon, `recon_queue_messages{queue="${QUEUE}",state="unacked"}`)).toBeUndefined();
      const { sources } = (await (await readApi(recon, '/api/sources')).json()) as {
        sources: Array<{ source: string; up: boolean; lastError: string | null }>;
      };
      const rabbitmq = sources.find((s) => s.source === 'rabbitmq');
      expect(rabbitmq).toMatchObject({ up: false, lastError: expect.stringContaining('/api/overview') });
      expect(rabbitmq?.lastError).not.toContain('guest:guest');
    } finally {
      await enableManagementPlugins();
    }

    await waitFor('the rabbitmq source to come back', async () => (await metricValue(recon, SOURCE_UP)) === 1, WAIT);
    await waitFor(
      'unacked-stuck to resolve on fresh data',
      async () => (await openKeys(recon, 'unacked-stuck')).length === 0,
      WAIT,
    );
    expect(await openKeys(recon, 'unconfirmed-publishes')).toEqual([]);
    await channel.close();
  });
});
