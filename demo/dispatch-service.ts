import type { Channel, ConsumeMessage } from 'amqplib';
import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import { type FaultLedger, type FaultRates, isChosen } from './faults.ts';
import { DISPATCH_QUEUE } from './names.ts';
import { type OrderCreated, parseOrderCreated } from './order-message.ts';

const COURIERS = ['Ana', 'Bo', 'Chen', 'Dara', 'Eli', 'Femi', 'Gus', 'Hana'];
/** Pause before requeueing after a transient error, so a database outage does not spin the delivery limit away. */
const TRANSIENT_RETRY_MS = 2_000;

/** Counters of what the consumer did, for the demo's status line and for tests that must see a redelivery. */
export interface DispatchStats {
  deliveries: number;
  redeliveries: number;
  rejected: number;
  dispatched: number;
  /** Deliveries that changed nothing: a known message id, or an order that already has a live dispatch. */
  absorbed: number;
}

export function newDispatchStats(): DispatchStats {
  return { deliveries: 0, redeliveries: 0, rejected: 0, dispatched: 0, absorbed: 0 };
}

export interface DispatchConsumerDeps {
  stats: DispatchStats;
  pool: Pool;
  log: Logger;
  faults: FaultRates;
  ledger: FaultLedger;
  /** Simulates the consumer process crashing: the connection drops, unacked deliveries are redelivered. */
  crash(reason: string): void;
}

type Outcome = 'dispatched' | 'already-dispatched' | 'duplicate-message';

/** Starts consuming `dispatch.order-created` with manual ack on an open channel. */
export async function startDispatchConsumer(channel: Channel, prefetch: number, deps: DispatchConsumerDeps) {
  const { pool, log, faults, ledger, crash, stats } = deps;
  await channel.prefetch(prefetch);

  const handle = async (msg: ConsumeMessage) => {
    stats.deliveries += 1;
    if (msg.fields.redelivered) stats.redeliveries += 1;
    const parsed = parseOrderCreated(msg.content, msg.properties.messageId);
    if (!parsed.ok) {
      log.warn({ messageId: msg.properties.messageId, error: parsed.error }, 'rejecting invalid message');
      stats.rejected += 1;
      channel.reject(msg, false); // no requeue: the queue dead-letters it to orders.dlx
      return;
    }
    const { order, messageId } = parsed;
    const isFirstDelivery = !msg.fields.redelivered;
    const isNonIdempotent = isChosen('non-idempotent', messageId, faults['non-idempotent']);
    try {
      const outcome = isNonIdempotent
        ? await dispatchBlindly(pool, order, messageId)
        : await dispatchOnce(pool, order, messageId);
      if (outcome === 'dispatched') stats.dispatched += 1;
      else stats.absorbed += 1;
      log.debug({ orderId: order.orderId, outcome }, 'order processed');
    } catch (err) {
      log.warn({ orderId: order.orderId, err: (err as Error).message }, 'transient failure; requeueing');
      await new Promise((resolve) => setTimeout(resolve, TRANSIENT_RETRY_MS));
      safely(() => channel.nack(msg, false, true));
      return;
    }
    // A non-idempotent consumer only double-dispatches when the message comes again, so that fault brings its own
    // crash before the ack; the redelivery then dispatches a second time.
    const isCrash =
      isFirstDelivery &&
      (isNonIdempotent || isChosen('consumer-crash-before-ack', messageId, faults['consumer-crash-before-ack']));
    if (isCrash) {
      const kind = isNonIdempotent ? 'non-idempotent' : 'consumer-crash-before-ack';
      await ledger
        .record(kind, { orderId: order.orderId, messageId })
        .catch((err: Error) => log.error({ err: err.message }, 'ledger write failed'));
      crash(`simulated ${kind}: crash after commit, before ack`);
      return;
    }
    safely(() => channel.ack(msg));
  };

  await channel.consume(
    DISPATCH_QUEUE,
    (msg) => {
      if (msg) void handle(msg);
    },
    { noAck: false },
  );
}

/** The idempotent consumer: inbox row and dispatch commit together; a known message id changes nothing. */
async function dispatchOnce(pool: Pool, order: OrderCreated, messageId: string): Promise<Outcome> {
  return inTransaction(pool, async (client) => {
    const inbox = await client.query(
      'INSERT INTO processed_messages (message_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING message_id',
      [messageId],
    );
    if (inbox.rowCount === 0) return 'duplicate-message';
    // Two different messages for one order (a republish, a redelivery with a new id) must not race to two rows.
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [order.orderId]);
    const live = await client.query("SELECT 1 FROM dispatches WHERE order_id = $1 AND status <> 'cancelled' LIMIT 1", [
      order.orderId,
    ]);
    if (live.rowCount) return 'already-dispatched';
    await insertDispatch(client, order, messageId);
    return 'dispatched';
  });
}

/** The `non-idempotent` fault: no inbox, no check for an existing dispatch. */
async function dispatchBlindly(pool: Pool, order: OrderCreated, messageId: string): Promise<Outcome> {
  await insertDispatch(pool, order, messageId);
  return 'dispatched';
}

function insertDispatch(db: Pick<Pool, 'query'>, order: OrderCreated, messageId: string) {
  const courier = COURIERS[Math.floor(Math.random() * COURIERS.length)]!;
  return db.query(
    `INSERT INTO dispatches (order_id, message_id, courier, status, order_snapshot) VALUES ($1, $2, $3, 'assigned', $4)`,
    [order.orderId, messageId, courier, order],
  );
}

async function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** Acking on a channel that closed meanwhile throws; the broker redelivers that message anyway. */
function safely(fn: () => void) {
  try {
    fn();
  } catch {
    // The channel is gone; its unacked deliveries return to the queue.
  }
}
