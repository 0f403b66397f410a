import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import { createLimiter } from '../../reconcilers/engine/async.ts';
import type { OutgoingMessage, PublisherPort, PublishResult } from '../../reconcilers/ports/repair.ts';
import { maskSecrets } from './postgres.ts';

/** Confirms in flight at once: enough to keep the broker busy, few enough that a lost connection leaves few in doubt. */
const DEFAULT_WINDOW = 256;
/** AMQP properties a republished message keeps. Never `userId` (the broker refuses a foreign one) or `deliveryMode`. */
const KEPT_PROPERTIES = ['type', 'correlationId', 'appId', 'contentEncoding', 'priority', 'timestamp'] as const;

export interface ActionPublisherOptions {
  url: string;
  /** A publish with no confirm by then is `in-doubt`. */
  confirmTimeoutMs: number;
  window?: number;
}

interface Link {
  connection: ChannelModel;
  channel: ConfirmChannel;
  isOpen(): boolean;
  awaitingConfirm: Set<() => void>;
  drained(): Promise<void>;
  holdUntilDrained(): void;
}

export interface ActionPublisher extends PublisherPort {
  close(): Promise<void>;
}

/**
 * Recon's publisher for repairs: one confirm channel, opened on first use and again after a loss, `mandatory` and
 * persistent, a window of confirms in flight that honours the channel's back-pressure ('drain'). Every outcome is a
 * value: a return is unroutable, a nack is refused, and a confirm that never came is in doubt, never done.
 */
export function createActionPublisher({ url, confirmTimeoutMs, window = DEFAULT_WINDOW }: ActionPublisherOptions) {
  let link: Promise<Link> | undefined;
  /** Message ids the broker returned; the return comes before that message's confirm. */
  const returned = new Map<string, string>();
  // A fair limiter: with 100k callers waiting, the oldest gets each released slot.
  const inWindow = createLimiter(window);

  const open = () => {
    link ??= (async () => {
      const connection = await amqp.connect(url, { clientProperties: { connection_name: 'recon-actions' } });
      const channel = await connection.createConfirmChannel();
      let isOpen = true;
      let drained: Promise<void> = Promise.resolve();
      /** Publishes awaiting their confirm: one close listener settles them all, not one listener each. */
      const awaitingConfirm = new Set<() => void>();
      const lost = () => {
        isOpen = false;
        link = undefined;
        for (const onLost of [...awaitingConfirm]) onLost();
      };
      connection.on('error', () => {});
      connection.on('close', lost);
      channel.on('error', () => {});
      channel.on('close', lost);
      channel.on('return', (msg) => {
        const id = msg.properties.messageId;
        // A returned message's fields carry the reply code and text (amqplib's types omit them).
        const fields = msg.fields as unknown as { replyCode?: number; replyText?: string };
        if (typeof id === 'string') returned.set(id, `${fields.replyCode ?? ''} ${fields.replyText ?? ''}`.trim());
      });
      return {
        connection,
        channel,
        isOpen: () => isOpen,
        awaitingConfirm,
        drained: () => drained,
        // The socket's buffer is full: later publishes wait for 'drain' (or the close that ends the wait).
        holdUntilDrained() {
          drained = new Promise<void>((resolve) => {
            channel.once('drain', resolve);
            channel.once('close', resolve);
          });
        },
      };
    })().catch((error: Error) => {
      link = undefined;
      throw error;
    });
    return link;
  };

  const publish = (message: OutgoingMessage): Promise<PublishResult> =>
    inWindow(async () => {
      let current: Link;
      try {
        current = await open();
        await current.drained();
      } catch (error) {
        // Nothing was sent: safe to call a failure, and the sweeper does not need to look for an effect.
        return { status: 'nacked', detail: `broker unreachable: ${maskSecrets((error as Error).message)}` };
      }
      return await publishOn(current, message);
    });

  function publishOn(
    { channel, isOpen, awaitingConfirm, holdUntilDrained }: Link,
    message: OutgoingMessage,
  ): Promise<PublishResult> {
    return new Promise<PublishResult>((resolve) => {
      let isSettled = false;
      const settle = (result: PublishResult) => {
        if (isSettled) return;
        isSettled = true;
        clearTimeout(timer);
        awaitingConfirm.delete(onClose);
        resolve(result);
      };
      const timer = setTimeout(() => settle({ status: 'in-doubt', detail: 'confirm timed out' }), confirmTimeoutMs);
      const onClose = () => settle({ status: 'in-doubt', detail: 'connection lost before the confirm' });
      awaitingConfirm.add(onClose);
      if (!isOpen()) return onClose();
      try {
        const hasRoom = channel.publish(
          message.exchange,
          message.routingKey,
          message.body,
          {
            ...keptProperties(message.properties),
            messageId: message.messageId,
            contentType: message.contentType ?? undefined,
            headers: message.headers,
            persistent: true,
            mandatory: true,
          },
          (err: unknown) => {
            const returnText = returned.get(message.messageId);
            returned.delete(message.messageId);
            if (err)
              settle(
                isOpen()
                  ? { status: 'nacked', detail: 'basic.nack' }
                  : { status: 'in-doubt', detail: 'connection lost' },
              );
            else if (returnText) settle({ status: 'returned', detail: `basic.return ${returnText}` });
            else settle({ status: 'confirmed' });
          },
        );
        if (!hasRoom) holdUntilDrained();
      } catch (error) {
        settle({ status: 'in-doubt', detail: `publish failed: ${(error as Error).message}` });
      }
    });
  }

  return {
    publish,
    async close() {
      const current = await link?.catch(() => undefined);
      link = undefined;
      await current?.connection.close().catch(() => {});
    },
  } satisfies ActionPublisher;
}

function keptProperties(properties: Record<string, unknown> | undefined): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const name of KEPT_PROPERTIES) {
    const value = properties && Object.hasOwn(properties, name) ? properties[name] : undefined;
    if (typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value))) kept[name] = value;
  }
  return kept;
}
