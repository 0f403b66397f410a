import type { Channel, ConsumeMessage } from 'amqplib';

/** Deliveries unacked at once while reading back; acked in batches of half of it (`multiple`). */
const PREFETCH = 2_000;
/** No delivery for this long means the queue is drained (nothing else consumes or publishes to it). */
const IDLE_MS = 3_000;

export interface QueueCheck {
  /** Ready messages the broker reported (queue.declare-ok) before the read-back. */
  brokerCount: number;
  read: number;
  distinctIds: number;
  /** Published ids never read back. */
  missing: number;
  /** Deliveries whose id was not published, had no id, or repeated one already read. */
  unexpected: number;
  isExact: boolean;
}

/**
 * Empties the queue over AMQP and checks it against what was published: exactly one copy of every message id,
 * nothing else. A consumer with acks, never the management API's `/get` (DESIGN: Dead letters).
 */
export async function readBackQueue(channel: Channel, queue: string, publishedIds: readonly string[]) {
  const { messageCount: brokerCount } = await channel.checkQueue(queue);
  const expected = new Set(publishedIds);
  const seen = new Set<string>();
  let read = 0;
  let unexpected = 0;
  let last: ConsumeMessage | undefined;
  await channel.prefetch(PREFETCH);
  let markDrained = () => {};
  const drained = new Promise<void>((resolve) => {
    markDrained = resolve;
  });
  let idle = setTimeout(markDrained, IDLE_MS);
  const { consumerTag } = await channel.consume(queue, (msg) => {
    if (!msg) return;
    read += 1;
    const id = msg.properties.messageId;
    if (typeof id === 'string' && expected.has(id) && !seen.has(id)) seen.add(id);
    else unexpected += 1;
    last = msg;
    if (read % (PREFETCH / 2) === 0) channel.ack(msg, true);
    clearTimeout(idle);
    idle = setTimeout(markDrained, IDLE_MS);
  });
  await drained;
  await channel.cancel(consumerTag);
  if (last && read % (PREFETCH / 2) !== 0) channel.ack(last, true);
  const missing = expected.size - seen.size;
  const isExact = brokerCount === expected.size && read === expected.size && missing === 0 && unexpected === 0;
  return { brokerCount, read, distinctIds: seen.size, missing, unexpected, isExact } satisfies QueueCheck;
}
