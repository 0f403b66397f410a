import { setTimeout as sleep } from 'node:timers/promises';
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import type { DeadLetterRecord } from '../../reconcilers/ports/dead-letters.ts';
import type { DeadLetterQueue } from '../watched-system/model.ts';
import { type RecordOptions, toDeadLetterRecord } from './dead-letter-record.ts';

/**
 * Deliveries held at once. Letters are stored one after another, so more buys nothing, and memory in flight is
 * prefetch × the broker's largest message (16 MiB by default on 4.x, 128 MiB on 3.x).
 */
const PREFETCH = 20;
const MAX_RETRY_PAUSE_MS = 30_000;

export interface QueueConsumerOptions extends RecordOptions {
  source: DeadLetterQueue;
  /** Resolves once the letter is committed; only then is the delivery acked. A rejection requeues it. */
  handle(record: DeadLetterRecord): Promise<void>;
  log: Logger;
  /** Pause before a failed letter is requeued, doubling while failures continue. */
  retryPauseMs: number;
}

export interface QueueConsumer {
  /** False once its channel closed (queue deleted, connection lost): the supervisor opens a new one. */
  isOpen(): boolean;
  /** Stops deliveries, finishes the letter in hand (it acks after its commit) and leaves the rest unacked. */
  release(): Promise<void>;
}

/** Consumes one dead-letter queue on its own channel, so a missing queue never disturbs the others. */
export async function consumeDeadLetterQueue(connection: ChannelModel, options: QueueConsumerOptions) {
  const { source, handle, log, retryPauseMs } = options;
  const { queue } = source;
  const channel = await connection.createChannel();
  // Without a listener amqplib rethrows a channel error (a missing queue closes the channel with a 404).
  channel.on('error', (err: Error) => log.debug({ err: err.message, queue }, 'dead-letter channel error'));
  let isOpen = true;
  /** Aborted on release or close: letters not started yet stay unacked and go back to the queue. */
  const released = new AbortController();
  channel.on('close', () => {
    isOpen = false;
    released.abort();
  });
  // Deliveries are handled one at a time, in order, so a failing store backs the whole queue off.
  let chain = Promise.resolve();
  let failures = 0;

  const takeCustody = async (message: ConsumeMessage) => {
    if (released.signal.aborted) return;
    try {
      await handle(toDeadLetterRecord(source, message, options));
      failures = 0;
      settle(() => channel.ack(message));
    } catch (err) {
      failures += 1;
      log.warn({ err: (err as Error).message, queue, failures }, 'storing a dead letter failed; requeueing it');
      const pauseMs = Math.min(MAX_RETRY_PAUSE_MS, retryPauseMs * 2 ** Math.min(failures - 1, 10));
      await sleep(pauseMs, undefined, { signal: released.signal }).catch(() => {});
      settle(() => channel.nack(message, false, true));
    }
  };

  let consumerTag: string | undefined;
  try {
    await channel.checkQueue(queue); // never declared here: the queue's arguments belong to its owner
    await channel.prefetch(PREFETCH);
    ({ consumerTag } = await channel.consume(queue, (message) => {
      // null: the broker cancelled the consumer (queue deleted); the supervisor comes back once it exists again.
      if (!message) {
        channel.close().catch(() => {});
        return;
      }
      chain = chain.then(() => takeCustody(message));
    }));
  } catch (err) {
    await closeQuietly(channel);
    throw err;
  }

  return {
    isOpen: () => isOpen,
    async release() {
      released.abort();
      if (isOpen && consumerTag) await channel.cancel(consumerTag).catch(() => {});
      await chain;
      await closeQuietly(channel);
    },
  } satisfies QueueConsumer;
}

/** An ack or nack on a channel that closed meanwhile throws; the broker has requeued the delivery already. */
function settle(action: () => void): void {
  try {
    action();
  } catch {}
}

const closeQuietly = (channel: Channel) => channel.close().catch(() => {});
