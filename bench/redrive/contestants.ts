import amqp, { type Options } from 'amqplib';
import type { OutgoingMessage, PublishResult } from '../../reconcilers/ports/repair.ts';
import { createActionPublisher } from '../../server/adapters/action-publisher.ts';

export type Outcome = PublishResult['status'];

export interface ContestantRun {
  /** Wall time from the first publish call to the last outcome; connections were opened before. */
  seconds: number;
  /** CPU time this process (the client) spent over the same window, user + system. */
  cpuSeconds: number;
  /** Milliseconds from the caller's publish call to its outcome, one per message, in publish order. */
  callLatenciesMs: Float64Array;
  outcomes: Record<Outcome, number>;
}

export interface Contestant {
  label: string;
  /** `onStart` runs after the warm-up, right before the first measured publish. */
  run(messages: readonly OutgoingMessage[], onStart: () => void): Promise<ContestantRun>;
}

/** Bound to nothing: the warm-up publish comes back returned, so it opens the link without filling the queue. */
const WARM_UP_KEY = 'bench.warm-up';

/**
 * Recon's real publisher with its default window. The caller keeps `outstanding` publish calls pending (more than the
 * window, so the window is always full and the publisher alone decides what is on the wire; `Infinity`: all of them).
 */
export function createReconContestant(url: string, confirmTimeoutMs: number, outstanding: number): Contestant {
  return {
    label: Number.isFinite(outstanding)
      ? `Recon's publisher, ${outstanding.toLocaleString('en')} calls pending`
      : `Recon's publisher, every call at once`,
    async run(messages, onStart) {
      const publisher = createActionPublisher({ url, confirmTimeoutMs });
      try {
        const warmUp = await publisher.publish({ ...messages[0]!, routingKey: WARM_UP_KEY, messageId: 'warm-up' });
        if (warmUp.status !== 'returned') throw new Error(`warm-up publish: expected returned, got ${warmUp.status}`);
        onStart();
        return await timeRun(messages, outstanding, (message) => publisher.publish(message));
      } finally {
        await publisher.close();
      }
    },
  };
}

/** The usual first version: publish one message (mandatory, persistent), wait for its confirm, then the next. */
export function createPerMessageContestant(url: string): Contestant {
  return {
    label: 'per-message confirm (amqplib `ConfirmChannel`, one in flight)',
    async run(messages, onStart) {
      const connection = await amqp.connect(url, { clientProperties: { connection_name: 'bench-per-message' } });
      try {
        const channel = await connection.createConfirmChannel();
        const returned = new Set<string>();
        channel.on('return', (msg) => returned.add(String(msg.properties.messageId)));
        const publishOne = (message: OutgoingMessage, routingKey = message.routingKey) =>
          new Promise<Outcome>((resolve) => {
            const options: Options.Publish = {
              ...(message.properties as Options.Publish),
              messageId: message.messageId,
              contentType: message.contentType ?? undefined,
              headers: message.headers,
              persistent: true,
              mandatory: true,
            };
            channel.publish(message.exchange, routingKey, message.body, options, (err) =>
              resolve(err ? 'nacked' : returned.delete(message.messageId) ? 'returned' : 'confirmed'),
            );
          });
        const warmUp = await publishOne({ ...messages[0]!, messageId: 'warm-up' }, WARM_UP_KEY);
        if (warmUp !== 'returned') throw new Error(`warm-up publish: expected returned, got ${warmUp}`);
        onStart();
        return await timeRun(messages, 1, publishOne);
      } finally {
        await connection.close().catch(() => {});
      }
    },
  };
}

/** Keeps up to `outstanding` publish calls pending, starting the next message as soon as one settles. */
async function timeRun(
  messages: readonly OutgoingMessage[],
  outstanding: number,
  publish: (message: OutgoingMessage) => Promise<PublishResult | Outcome>,
): Promise<ContestantRun> {
  const callLatenciesMs = new Float64Array(messages.length);
  const outcomes: Record<Outcome, number> = { confirmed: 0, returned: 0, nacked: 0, 'in-doubt': 0 };
  let next = 0;
  const lane = async () => {
    while (next < messages.length) {
      const index = next++;
      const calledAt = performance.now();
      const result = await publish(messages[index]!);
      callLatenciesMs[index] = performance.now() - calledAt;
      outcomes[typeof result === 'string' ? result : result.status] += 1;
    }
  };
  const startedAt = performance.now();
  const cpuAtStart = process.cpuUsage();
  await Promise.all(Array.from({ length: Math.min(outstanding, messages.length) }, lane));
  const cpu = process.cpuUsage(cpuAtStart);
  const seconds = (performance.now() - startedAt) / 1000;
  return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, callLatenciesMs, outcomes };
}
