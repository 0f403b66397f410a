import type { ConfirmChannel, Options } from 'amqplib';

export type PublishOutcome =
  | { status: 'confirmed' }
  | { status: 'failed'; reason: 'nack' | 'unroutable' | 'timeout' | 'connection-lost' };

export interface ConfirmPublisher {
  /** Publishes with `mandatory` and waits for the broker's confirm. Never throws: every outcome is a value. */
  publish(
    exchange: string,
    routingKey: string,
    content: Buffer,
    options: Options.Publish & { messageId: string },
  ): Promise<PublishOutcome>;
}

/**
 * Wraps one confirm channel. A `basic.return` arrives before the `basic.ack` of the same message, so a returned
 * message id is remembered and its confirm reported as `unroutable`: an unroutable message is confirmed too.
 */
export function createConfirmPublisher(channel: ConfirmChannel, confirmTimeoutMs: number): ConfirmPublisher {
  const returnedIds = new Set<string>();
  let isClosed = false;
  channel.on('return', (msg) => {
    const id = msg.properties.messageId;
    if (typeof id === 'string') returnedIds.add(id);
  });
  channel.on('close', () => {
    isClosed = true;
  });
  // Errors are followed by 'close'; without a listener they would crash the process.
  channel.on('error', () => {});

  return {
    publish(exchange, routingKey, content, options) {
      return new Promise<PublishOutcome>((resolve) => {
        if (isClosed) return resolve({ status: 'failed', reason: 'connection-lost' });
        const timer = setTimeout(() => resolve({ status: 'failed', reason: 'timeout' }), confirmTimeoutMs);
        const settle = (outcome: PublishOutcome) => {
          clearTimeout(timer);
          resolve(outcome);
        };
        try {
          channel.publish(exchange, routingKey, content, { ...options, mandatory: true }, (err) => {
            const wasReturned = returnedIds.delete(options.messageId);
            if (err) settle({ status: 'failed', reason: isClosed ? 'connection-lost' : 'nack' });
            else if (wasReturned) settle({ status: 'failed', reason: 'unroutable' });
            else settle({ status: 'confirmed' });
          });
        } catch {
          settle({ status: 'failed', reason: 'connection-lost' });
        }
      });
    },
  };
}
