import type { Channel, ConsumeMessage } from 'amqplib';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { type FaultLedger, type FaultRates, isChosen } from './faults.ts';
import { REPLENISH_QUEUE } from './names.ts';
import { parseOrderCreated } from './order-message.ts';

export interface ReplenisherDeps {
  pool: Pool;
  log: Logger;
  faults: FaultRates;
  ledger: FaultLedger;
  /** How long after an order's `createdAt` to check it: its transaction must have had time to commit. */
  delayMs: number;
}

const MAKE_UP_ORDER = `INSERT INTO orders (id, customer_id, items, total_cents, status, created_at, updated_at)
  VALUES ($1, $2, $3, $4, 'replenished', $5, now()) ON CONFLICT (id) DO NOTHING`;

/**
 * The compensation ("replenishment") consumer: once an order's message is old enough, it checks that the order
 * exists and, if its transaction rolled back after the message went out, makes the order up from the message.
 */
export async function startReplenisher(channel: Channel, prefetch: number, deps: ReplenisherDeps) {
  const { pool, log, faults, ledger, delayMs } = deps;
  await channel.prefetch(prefetch);
  // Messages wait here for their delay; once the channel is gone they are back in the queue and not ours to touch.
  let isChannelOpen = true;
  channel.on('close', () => {
    isChannelOpen = false;
  });

  const handle = async (msg: ConsumeMessage) => {
    const parsed = parseOrderCreated(msg.content, msg.properties.messageId);
    if (!parsed.ok) {
      // Not ours to dead-letter: the dispatch queue does that. Drop our copy.
      channel.ack(msg);
      return;
    }
    const { order, messageId } = parsed;
    const waitMs = Date.parse(order.createdAt) + delayMs - Date.now();
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
    if (!isChannelOpen) return;

    if (isChosen('replenisher-down', messageId, faults['replenisher-down'])) {
      // As if the replenisher was down when this message was due: nobody makes this order up. The ledger only
      // records the misses that matter (the order is really missing), so it lists exactly the orphaned dispatches.
      const exists = await pool.query('SELECT 1 FROM orders WHERE id = $1', [order.orderId]);
      if (exists.rowCount === 0) await ledger.record('replenisher-down', { orderId: order.orderId, messageId });
      channel.ack(msg);
      return;
    }
    const { rowCount } = await pool.query(MAKE_UP_ORDER, [
      order.orderId,
      order.customerId,
      JSON.stringify(order.items),
      order.totalCents,
      order.createdAt,
    ]);
    if (rowCount) log.info({ orderId: order.orderId }, 'order was missing; made it up from its message');
    channel.ack(msg);
  };

  await channel.consume(REPLENISH_QUEUE, (msg) => {
    if (!msg) return;
    handle(msg).catch((err: Error) => {
      if (!isChannelOpen) return;
      log.warn({ err: err.message }, 'replenishment failed; requeueing');
      setTimeout(() => {
        try {
          channel.nack(msg, false, true);
        } catch {
          // The channel closed; the message is redelivered anyway.
        }
      }, 1_000);
    });
  });
}
