import amqp from 'amqplib';
import { ORDERS_EXCHANGE } from '../../demo/names.ts';

const TAP_QUEUE = 'soak.tap';
const IDLE_MS = 2_000;

/** A queue of the soak's own bound beside the dispatch queue: every order.created published, Recon's included. */
export async function bindTapQueue(rabbitmqUrl: string): Promise<void> {
  const connection = await amqp.connect(rabbitmqUrl);
  try {
    const channel = await connection.createChannel();
    await channel.assertQueue(TAP_QUEUE, { durable: true });
    await channel.bindQueue(TAP_QUEUE, ORDERS_EXCHANGE, 'order.created');
  } finally {
    await connection.close();
  }
}

/** Drains the tap queue and counts the copies of each message id. */
export async function countTapCopies(rabbitmqUrl: string): Promise<Map<string, number>> {
  const copies = new Map<string, number>();
  const connection = await amqp.connect(rabbitmqUrl);
  try {
    const channel = await connection.createChannel();
    await channel.prefetch(1_000);
    let lastAt = Date.now();
    await channel.consume(
      TAP_QUEUE,
      (msg) => {
        if (!msg) return;
        lastAt = Date.now();
        const id = String(msg.properties.messageId ?? '');
        copies.set(id, (copies.get(id) ?? 0) + 1);
        channel.ack(msg);
      },
      { noAck: false },
    );
    while (Date.now() - lastAt < IDLE_MS || (await channel.checkQueue(TAP_QUEUE)).messageCount > 0) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await connection.close();
  }
  return copies;
}

/** Messages still waiting in a queue (AMQP passive declare: no statistics lag). */
export async function queueDepth(rabbitmqUrl: string, queue: string): Promise<number> {
  const connection = await amqp.connect(rabbitmqUrl);
  try {
    return (await (await connection.createChannel()).checkQueue(queue)).messageCount;
  } finally {
    await connection.close();
  }
}
