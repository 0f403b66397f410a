import type { Channel, ChannelModel } from 'amqplib';

/** Messages the stuck consumer holds unacked: enough for Recon to suspect the queue on every poll. */
const HELD_PREFETCH = 5;
/** Extra consumers per channel, the way a service multiplexes its consumers over a few channels. */
const CONSUMERS_PER_CHANNEL = 50;

export interface Workload {
  /** Consumers started, watched queues included. */
  consumers: number;
  channels: number;
}

/**
 * Gives Recon's poll real work: the first watched queue has a consumer that takes messages and never acks (so every
 * poll suspects it and also reads the consumers), the second a consumer that acks, the last (a dead-letter queue)
 * none. `extraConsumers` more consumers sit on filler queues, to show what the consumer listing costs in a busy vhost.
 * They live until the connection closes; their unacked messages go back to the queues then.
 */
export async function startWorkload(
  connection: ChannelModel,
  watched: readonly string[],
  fillers: readonly string[],
  extraConsumers: number,
): Promise<Workload> {
  const [stuckQueue, healthyQueue] = watched;
  let consumers = 0;
  let channels = 0;
  const open = async () => {
    channels += 1;
    return connection.createChannel();
  };

  if (stuckQueue) {
    const stuck = await open();
    await stuck.prefetch(HELD_PREFETCH);
    await stuck.consume(stuckQueue, () => {}, { consumerTag: 'bench-stuck' });
    consumers += 1;
  }
  if (healthyQueue) {
    const healthy = await open();
    await healthy.prefetch(10);
    await healthy.consume(healthyQueue, (m) => m && healthy.ack(m), { consumerTag: 'bench-healthy' });
    consumers += 1;
  }

  let channel: Channel | undefined;
  for (let i = 0; i < Math.min(extraConsumers, fillers.length); i++) {
    if (i % CONSUMERS_PER_CHANNEL === 0) {
      channel = await open();
      await channel.prefetch(10);
    }
    const on = channel!;
    await on.consume(fillers[i]!, (m) => m && on.ack(m), { consumerTag: `bench-extra-${i}` });
    consumers += 1;
  }
  return { consumers, channels };
}
