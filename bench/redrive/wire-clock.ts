import type { ConfirmChannel } from 'amqplib';

/** What the broker did with each message id, seen at amqplib's `ConfirmChannel.publish`. */
export interface WireClock {
  /** Milliseconds from amqplib's publish to its callback (broker ack or nack, or the channel closing). */
  readonly latenciesMs: number[];
  /** Message id → how many confirms amqplib delivered for it. Exactly one each, or something is wrong. */
  readonly confirmsById: Map<string, number>;
  /** Publishes amqplib was given, including ones that never got a confirm. */
  readonly published: () => number;
  /** Publishes amqplib answered with false: its channel buffer was full, back-pressure ('drain' comes later). */
  readonly fullBuffers: () => number;
  reset(): void;
}

/**
 * Times every confirm at the driver, below both contestants: Recon's publisher cannot be timed from outside without
 * counting the wait for a slot in its window, and re-implementing it to add a stopwatch would measure something else.
 * Wraps the shared `ConfirmChannel.prototype.publish` (the prototype of `sample`), so it sees every confirm channel
 * of this process; the cost (a map write and a closure per message) is the same for both contestants.
 */
export function installWireClock(sample: ConfirmChannel): WireClock {
  const prototype = Object.getPrototypeOf(sample) as ConfirmChannel;
  const publish = prototype.publish;
  const latenciesMs: number[] = [];
  const confirmsById = new Map<string, number>();
  let published = 0;
  let fullBuffers = 0;
  prototype.publish = function timedPublish(this: ConfirmChannel, exchange, routingKey, content, options, callback) {
    const id = String(options?.messageId);
    const sentAt = performance.now();
    published += 1;
    const hasRoom = publish.call(this, exchange, routingKey, content, options, (err, ok) => {
      latenciesMs.push(performance.now() - sentAt);
      confirmsById.set(id, (confirmsById.get(id) ?? 0) + 1);
      callback?.(err, ok);
    });
    if (!hasRoom) fullBuffers += 1;
    return hasRoom;
  };
  return {
    latenciesMs,
    confirmsById,
    published: () => published,
    fullBuffers: () => fullBuffers,
    reset() {
      latenciesMs.length = 0;
      confirmsById.clear();
      published = 0;
      fullBuffers = 0;
    },
  };
}
