import amqp from 'amqplib';
import type { IsolatedEnv } from './isolated-env.ts';

const DISPATCH_QUEUE = 'dispatch.order-created';

/** Takes `count` messages from the dispatch queue and rejects them without requeue: they die to the DLQ. */
export async function rejectQueued(env: IsolatedEnv, count: number) {
  const connection = await amqp.connect(env.rabbitmqUrl);
  try {
    const channel = await connection.createChannel();
    for (let rejected = 0; rejected < count; ) {
      const msg = await channel.get(DISPATCH_QUEUE, { noAck: false });
      if (!msg) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      channel.reject(msg, false);
      rejected += 1;
    }
    await channel.close();
  } finally {
    await connection.close();
  }
}
