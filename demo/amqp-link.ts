import amqp, { type ChannelModel } from 'amqplib';
import type { Logger } from 'pino';

const RECONNECT_MIN_MS = 200;
const RECONNECT_MAX_MS = 5_000;

export interface AmqpLink {
  /** Drops the connection the way a crashing process would (unacked deliveries go back to their queues); the link
   * reconnects by itself and runs `onConnect` again. */
  restart(reason: string): void;
  /** Resolves once `onConnect` has completed on a live connection (waits through reconnects). */
  ready(): Promise<void>;
  isUp(): boolean;
  close(): Promise<void>;
}

export interface AmqpLinkOptions {
  url: string;
  name: string;
  log: Logger;
  /** Declares topology, opens channels, starts consumers. Runs again after every reconnect. */
  onConnect(connection: ChannelModel): Promise<void>;
}

/** One AMQP connection that comes back by itself: backoff with jitter after any loss, including a failed setup. */
export function createAmqpLink({ url, name, log, onConnect }: AmqpLinkOptions): AmqpLink {
  let connection: ChannelModel | undefined;
  /** True once `onConnect` finished on the current connection. */
  let isReady = false;
  let isClosing = false;
  let attempt = 0;
  let timer: NodeJS.Timeout | undefined;
  let waiters: Array<() => void> = [];

  const scheduleReconnect = () => {
    if (isClosing || timer) return;
    const delayMs = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** attempt) * (0.5 + Math.random() / 2);
    attempt += 1;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, delayMs);
  };

  const connect = async () => {
    try {
      const conn = await amqp.connect(url, { clientProperties: { connection_name: name } });
      connection = conn;
      conn.on('error', (err: Error) => log.warn({ err: err.message }, 'amqp connection error'));
      conn.on('close', () => {
        if (connection === conn) {
          connection = undefined;
          isReady = false;
        }
        if (!isClosing) {
          log.warn('amqp connection closed; reconnecting');
          scheduleReconnect();
        }
      });
      await onConnect(conn);
      if (connection !== conn) return;
      isReady = true;
      attempt = 0;
      for (const resolve of waiters) resolve();
      waiters = [];
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'amqp connect failed; retrying');
      const conn = connection;
      connection = undefined;
      // A failed setup closes the connection; its close handler schedules the retry.
      if (conn) await conn.close().catch(() => {});
      scheduleReconnect();
    }
  };

  void connect();

  return {
    restart(reason) {
      log.info({ reason }, 'amqp connection restarting');
      const conn = connection;
      connection = undefined;
      isReady = false;
      if (conn) {
        // The close handler no longer sees this connection as current, so schedule the reconnect here.
        void conn.close().catch(() => {});
      }
      scheduleReconnect();
    },
    ready() {
      if (isReady) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    isUp: () => isReady,
    async close() {
      isClosing = true;
      if (timer) clearTimeout(timer);
      const conn = connection;
      connection = undefined;
      isReady = false;
      for (const resolve of waiters) resolve();
      if (conn) await conn.close().catch(() => {});
    },
  };
}
