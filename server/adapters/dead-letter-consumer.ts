import amqp, { type ChannelModel } from 'amqplib';
import type { Logger } from 'pino';
import type { DeadLetterRecord } from '../../reconcilers/ports/dead-letters.ts';
import { startPeriodic } from '../periodic.ts';
import { parseJsonPath } from '../watched-system/json-path.ts';
import type { DeadLetterQueue } from '../watched-system/model.ts';
import { createBackoff } from './backoff.ts';
import { consumeDeadLetterQueue, type QueueConsumer } from './dead-letter-queue.ts';

/** How often the supervisor checks leadership, the connection and each queue's consumer. */
const TICK_MS = 500;

export interface DeadLetterConsumerOptions {
  url: string;
  queues: readonly DeadLetterQueue[];
  /** JSON path of the order id in a letter's body (`$.message.orderId`); a bad one throws here, at start. */
  orderIdPath: string;
  /** The header holding the message id when a library sets no AMQP message-id (CAP's `cap-msg-id`). */
  messageIdHeader?: string | null;
  maxBodyBytes: number;
  /** Resolves once the letter is committed; only then is the delivery acked. A rejection requeues it. */
  handle(record: DeadLetterRecord): Promise<void>;
  /** Only the leader replica holds dead letters; the others keep no connection. */
  isLeader(): boolean;
  log: Logger;
  /** Pause before a failed letter is requeued, doubling while failures continue (tests shorten it). */
  retryPauseMs?: number;
}

export interface DeadLetterConsumer {
  /** Queues with a live consumer now. */
  consuming(): string[];
  /** Stops taking deliveries, lets the letters being stored finish, then closes (the rest go back to their queues). */
  stop(): Promise<void>;
}

/**
 * Recon's own reconnecting AMQP consumer for the watched dead-letter queues (the demo's link is not imported).
 * One supervisor loop does everything, so connecting, consuming and releasing never race each other: it follows
 * leadership, reconnects with backoff after any loss, and reopens each queue's consumer on its own backoff.
 */
export function startDeadLetterConsumer(options: DeadLetterConsumerOptions): DeadLetterConsumer {
  const { url, queues, maxBodyBytes, handle, isLeader, log, retryPauseMs = 1_000 } = options;
  const orderIdPath = parseJsonPath(options.orderIdPath);
  let connection: ChannelModel | undefined;
  const active = new Map<string, QueueConsumer>();
  const connectBackoff = createBackoff();
  const queueBackoff = new Map(queues.map(({ queue }) => [queue, createBackoff()]));
  let isStopping = false;

  const connect = async () => {
    try {
      const conn = await amqp.connect(url, { clientProperties: { connection_name: 'recon-dead-letters' } });
      conn.on('error', (err: Error) => log.warn({ err: err.message }, 'dead-letter connection error'));
      conn.on('close', () => {
        if (connection !== conn) return;
        connection = undefined;
        connectBackoff.failed();
        log.warn('dead-letter connection closed; reconnecting');
      });
      connection = conn;
      connectBackoff.succeeded();
    } catch (err) {
      const isFirst = connectBackoff.failed() === 1;
      log[isFirst ? 'warn' : 'debug']({ err: (err as Error).message }, 'cannot connect for dead letters; retrying');
    }
  };

  const consume = async (conn: ChannelModel, source: DeadLetterQueue) => {
    const { queue, style } = source;
    const backoff = queueBackoff.get(queue)!;
    try {
      const consumer = await consumeDeadLetterQueue(conn, {
        source,
        maxBodyBytes,
        orderIdPath,
        messageIdHeader: options.messageIdHeader ?? null,
        handle,
        log,
        retryPauseMs,
      });
      active.set(queue, consumer);
      backoff.succeeded();
      log.info({ queue, style }, 'taking custody of dead letters');
    } catch (err) {
      // A queue that does not exist (yet) is retried quietly after the first warning.
      const isFirst = backoff.failed() === 1;
      log[isFirst ? 'warn' : 'debug']({ err: (err as Error).message, queue }, 'cannot consume dead-letter queue');
    }
  };

  // Cancel first so nothing new arrives, finish the letters in hand, then close: the broker requeues whatever is
  // unacked, and the next holder's dedupe key absorbs a letter that was committed but not acked.
  const release = async () => {
    const conn = connection;
    connection = undefined;
    const consumers = [...active.values()];
    active.clear();
    await Promise.all(consumers.map((c) => c.release()));
    await conn?.close().catch(() => {});
    if (conn) log.info('released the dead-letter queues');
  };

  const tick = async () => {
    if (isStopping || !isLeader()) return release();
    for (const [queue, consumer] of active) {
      if (consumer.isOpen()) continue;
      active.delete(queue);
      queueBackoff.get(queue)!.failed();
    }
    if (!connection && connectBackoff.isDue()) await connect();
    const conn = connection;
    if (!conn) return;
    for (const source of queues) {
      if (!active.has(source.queue) && queueBackoff.get(source.queue)!.isDue()) await consume(conn, source);
    }
  };

  const supervisor = startPeriodic({ name: 'dead-letter supervisor', intervalMs: TICK_MS, run: tick, log });

  return {
    consuming: () => [...active].filter(([, consumer]) => consumer.isOpen()).map(([queue]) => queue),
    async stop() {
      isStopping = true;
      await supervisor.stop();
      await release();
    },
  };
}
