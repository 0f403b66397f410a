import amqp from 'amqplib';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeadLetterRecord } from '../../reconcilers/ports/dead-letters.ts';
import { type DeadLetterConsumer, startDeadLetterConsumer } from '../../server/adapters/dead-letter-consumer.ts';
import { queueDepth } from '../support/demo-harness.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { sleep, waitFor } from '../support/wait-for.ts';

// The consumer alone against the real broker, with a hand-written `handle` standing in for the store: what it
// does when storing fails, when leadership moves, and when a watched queue does not exist yet.
describe('the dead-letter consumer', () => {
  let env: IsolatedEnv;
  const consumers: DeadLetterConsumer[] = [];

  beforeAll(async () => {
    env = await createIsolatedEnv('dl_consumer');
  });
  afterAll(async () => {
    for (const consumer of consumers) await consumer.stop();
    await env?.destroy();
  });

  const publish = async (queue: string, ids: string[]) => {
    const connection = await amqp.connect(env.rabbitmqUrl);
    try {
      const channel = await connection.createConfirmChannel();
      await channel.assertQueue(queue, { durable: true });
      for (const id of ids) channel.sendToQueue(queue, Buffer.from(`{"n":"${id}"}`), { messageId: id });
      await channel.waitForConfirms();
    } finally {
      await connection.close();
    }
  };
  const start = (queues: string[], handle: (r: DeadLetterRecord) => Promise<void>, isLeader = () => true) => {
    const consumer = startDeadLetterConsumer({
      url: env.rabbitmqUrl,
      queues: queues.map((queue) => ({ queue, style: 'dead-letter-exchange' })),
      orderIdPath: '$.orderId',
      maxBodyBytes: 1024,
      handle,
      isLeader,
      // The failures here are on purpose: keep them out of the output unless asked for.
      log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      retryPauseMs: 20,
    });
    consumers.push(consumer);
    return consumer;
  };

  it('requeues a letter whose store failed and acks it once a later attempt commits', async () => {
    await publish('dlq.failing', ['a', 'b', 'c']);
    const committed: string[] = [];
    let failuresLeft = 4;
    start(['dlq.failing'], async (record) => {
      if (failuresLeft-- > 0) throw new Error('database unavailable');
      committed.push(record.dedupeKey);
    });
    await waitFor('every letter committed', async () => committed.length === 3);
    await waitFor('the queue to drain', async () => (await queueDepth(env, 'dlq.failing')) === 0);
    expect(committed.sort()).toEqual(['a', 'b', 'c']);
  });

  it('consumes only while this replica leads, and stops consuming when it no longer does', async () => {
    await publish('dlq.leader', ['x']);
    let isLeader = false;
    const seen: string[] = [];
    const consumer = start(
      ['dlq.leader'],
      async (record) => void seen.push(record.dedupeKey),
      () => isLeader,
    );
    await sleep(1_500);
    expect(consumer.consuming()).toEqual([]);
    expect(await queueDepth(env, 'dlq.leader')).toBe(1);

    isLeader = true;
    await waitFor('the letter taken', async () => seen.length === 1);
    isLeader = false;
    await waitFor('the consumer released', async () => consumer.consuming().length === 0);
    await publish('dlq.leader', ['y']);
    await sleep(1_000);
    expect(seen).toEqual(['x']);
    expect(await queueDepth(env, 'dlq.leader')).toBe(1);
  });

  it('waits for a watched queue that does not exist yet, without disturbing the others', async () => {
    await publish('dlq.present', ['p']);
    const seen: string[] = [];
    const consumer = start(['dlq.absent', 'dlq.present'], async (record) => void seen.push(record.dedupeKey));
    await waitFor('the present queue consumed', async () => seen.includes('p'));
    expect(consumer.consuming()).toEqual(['dlq.present']);
    await publish('dlq.absent', ['late']);
    await waitFor('the late queue consumed', async () => seen.includes('late'), { timeoutMs: 45_000 });
  });
});
