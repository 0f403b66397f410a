import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recon } from '../../server/recon.ts';
import { readApi } from '../support/actions.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { metricValue } from '../support/metrics.ts';
import { openKeys, startTestRecon } from '../support/recon-harness.ts';
import { waitFor } from '../support/wait-for.ts';

const QUEUE = 'work.stuck';
const HELD = 3;
// Polls every 2 s; three of them spanning a 5 s statistics refresh, plus the refresh lag: ~12 s to open.
const WAIT = { timeoutMs: 40_000, intervalMs: 500 };

describe('broker: a consumer that takes messages and never acks', () => {
  let env: IsolatedEnv;
  let recon: Recon;
  let connection: ChannelModel;

  beforeAll(async () => {
    env = await createIsolatedEnv('unacked_stuck');
    connection = await amqp.connect(env.rabbitmqUrl);
    const setup = await connection.createChannel();
    await setup.assertQueue(QUEUE, { durable: true });
    await setup.close();
    recon = await startTestRecon(env, {
      RECON_WATCHED_QUEUES: QUEUE,
      RECON_BROKER_POLL_INTERVAL_SECONDS: '2',
      // Polls faster than the broker's 5 s statistics refresh (the default floor): a faster test.
      RECON_BROKER_STATISTICS_INTERVAL_SECONDS: '1',
      RECON_BROKER_STUCK_POLLS: '3',
    });
  });
  afterAll(async () => {
    await connection?.close().catch(() => {});
    await recon?.stop();
    await env?.destroy();
  });

  /** A consumer with prefetch HELD that keeps every delivery unacked; exactly HELD messages are published. */
  async function holdMessages(): Promise<{ channel: Channel; held: ConsumeMessage[] }> {
    const channel = await connection.createChannel();
    await channel.prefetch(HELD);
    const held: ConsumeMessage[] = [];
    await channel.consume(QUEUE, (msg) => msg && held.push(msg), { noAck: false, consumerTag: 'stuck-worker' });
    for (let i = 0; i < HELD; i++) channel.sendToQueue(QUEUE, Buffer.from(`job ${i}`), { persistent: true });
    await waitFor('the consumer to hold every message', async () => held.length === HELD);
    return { channel, held };
  }

  const finding = async () => {
    const response = await readApi(recon, `/api/findings/${encodeURIComponent(`unacked-stuck:${QUEUE}`)}`);
    return (await response.json()) as { state: string; evidence: Record<string, unknown> };
  };

  it('opens unacked-stuck within a few polls, with the consumer as evidence, and resolves once it acks', async () => {
    const { channel, held } = await holdMessages();
    await waitFor('unacked-stuck to open', async () => (await openKeys(recon, 'unacked-stuck')).includes(QUEUE), WAIT);
    const { evidence } = await finding();
    expect(evidence).toMatchObject({ queue: QUEUE, unacked: HELD, consumerCount: 1, ackCount: 0 });
    expect(evidence.consumers).toEqual([expect.objectContaining({ tag: 'stuck-worker', prefetch: HELD })]);
    expect(await metricValue(recon, `recon_queue_messages{queue="${QUEUE}",state="unacked"}`)).toBe(HELD);
    expect(await openKeys(recon, 'unconfirmed-publishes')).toEqual([]);

    const overview = (await (await readApi(recon, '/api/overview')).json()) as {
      queues: Array<{ name: string; unacked?: number; consumers?: number; isStale: boolean }>;
      queueHistory: Array<{ ok: boolean; queues: unknown[] }>;
    };
    expect(overview.queues).toEqual([
      expect.objectContaining({ name: QUEUE, unacked: HELD, consumers: 1, isStale: false }),
    ]);
    expect(overview.queueHistory.filter((p) => p.ok).length).toBeGreaterThanOrEqual(3);

    for (const msg of held) channel.ack(msg);
    await waitFor('unacked-stuck to resolve', async () => (await openKeys(recon, 'unacked-stuck')).length === 0, WAIT);
    expect((await finding()).state).toBe('resolved');
    await channel.close();
  });

  it('resolves when the stuck consumer goes away (its deliveries go back to the queue)', async () => {
    const { channel } = await holdMessages();
    await waitFor(
      'unacked-stuck to open again',
      async () => (await openKeys(recon, 'unacked-stuck')).includes(QUEUE),
      WAIT,
    );
    await channel.close();
    await waitFor('unacked-stuck to resolve', async () => (await openKeys(recon, 'unacked-stuck')).length === 0, WAIT);
    // The messages wait, ready, for the next consumer: that is not stuck.
    await waitFor(
      'the requeued messages to show as ready',
      async () => (await metricValue(recon, `recon_queue_messages{queue="${QUEUE}",state="ready"}`)) === HELD,
      WAIT,
    );
    const sources = (await (await readApi(recon, '/api/sources')).json()) as {
      sources: Array<{ source: string; up: boolean }>;
    };
    expect(sources.sources).toContainEqual(expect.objectContaining({ source: 'rabbitmq', up: true }));
  });
});
