import type { ChannelModel } from 'amqplib';

/** amqplib runs one RPC at a time per channel: a few channels in parallel declare thousands of queues in seconds. */
const DECLARE_CHANNELS = 8;

/** Queue name → messages wanted in it before the run. */
export type QueuePlan = Map<string, number>;

/**
 * Declares every queue of the plan (durable classic queues; declaring an existing one is a no-op) and tops each up
 * to its wanted message count, so that a second run reuses the first one's queues instead of piling messages up.
 */
export async function declareQueues(connection: ChannelModel, plan: QueuePlan): Promise<{ published: number }> {
  const names = [...plan.keys()];
  const shortBy = new Map<string, number>();
  await Promise.all(
    Array.from({ length: DECLARE_CHANNELS }, async (_, lane) => {
      const channel = await connection.createChannel();
      for (let i = lane; i < names.length; i += DECLARE_CHANNELS) {
        const name = names[i]!;
        const { messageCount } = await channel.assertQueue(name, { durable: true });
        const short = (plan.get(name) ?? 0) - messageCount;
        if (short > 0) shortBy.set(name, short);
      }
      await channel.close();
    }),
  );
  const channel = await connection.createConfirmChannel();
  let published = 0;
  for (const [name, count] of shortBy) {
    for (let i = 0; i < count; i++) {
      const body = Buffer.from(JSON.stringify({ bench: 'queues', queue: name, n: i }));
      channel.sendToQueue(name, body, { persistent: true, messageId: `bench-${name}-${i}` });
      published += 1;
    }
  }
  await channel.waitForConfirms();
  await channel.close();
  return { published };
}

/** The plan: the watched queues (with work in them) plus fillers up to `total`, a few of them holding messages. */
export function planQueues(total: number, watched: readonly string[]): QueuePlan {
  const plan: QueuePlan = new Map(watched.map((name) => [name, 20]));
  const fillers = total - plan.size;
  for (let i = 1; i <= fillers; i++) {
    // One filler in 50 holds messages: an idle estate, but not an empty one.
    plan.set(`bench.filler.${String(i).padStart(5, '0')}`, i % 50 === 0 ? 10 : 0);
  }
  return plan;
}
