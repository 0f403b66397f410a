import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { ConfirmPublisher } from './confirm-publisher.ts';
import type { FaultLedger } from './faults.ts';
import { randomBasket } from './menu.ts';
import { ORDER_CREATED, ORDERS_EXCHANGE } from './names.ts';
import type { OrderCreated } from './order-message.ts';

export interface PlacedOrder {
  orderId: string;
  messageId: string;
}

export interface OrderService {
  /** The correct path: the order and its outbox row commit in one transaction; the relay publishes later. */
  placeOrder(): Promise<PlacedOrder>;
  /** The seed's flawed path: publish inside the transaction, then roll the order back. `undefined` when the
   * broker did not confirm (then nothing went out and nothing is recorded). */
  placeOrderThenRollback(): Promise<PlacedOrder | undefined>;
  /** Publishes an unparseable `order.created`, which the dispatch service must dead-letter. */
  publishPoison(): Promise<{ messageId: string } | undefined>;
}

export interface OrderServiceDeps {
  pool: Pool;
  ledger: FaultLedger;
  /** The live confirm publisher, or undefined while the broker connection is down. */
  getPublisher(): ConfirmPublisher | undefined;
  /** Wakes the outbox relay so a new row goes out without waiting for its next poll. */
  onOrderCommitted(): void;
}

const INSERT_ORDER = `INSERT INTO orders (id, customer_id, items, total_cents, status, created_at, updated_at)
  VALUES ($1, $2, $3, $4, 'created', $5, $5)`;
const INSERT_OUTBOX = `INSERT INTO outbox (message_id, aggregate_id, event_type, payload, created_at)
  VALUES ($1, $2, $3, $4, $5)`;

export function createOrderService({ pool, ledger, getPublisher, onOrderCommitted }: OrderServiceDeps): OrderService {
  const newOrder = (): { message: OrderCreated; messageId: string } => {
    const { customerId, items, totalCents } = randomBasket();
    const message = { orderId: randomUUID(), customerId, items, totalCents, createdAt: new Date().toISOString() };
    return { message, messageId: randomUUID() };
  };

  const insertOrder = (client: { query: Pool['query'] }, m: OrderCreated) =>
    client.query(INSERT_ORDER, [m.orderId, m.customerId, JSON.stringify(m.items), m.totalCents, m.createdAt]);

  return {
    async placeOrder() {
      const { message, messageId } = newOrder();
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await insertOrder(client, message);
        await client.query(INSERT_OUTBOX, [messageId, message.orderId, ORDER_CREATED, message, message.createdAt]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw new Error('placing an order', { cause: err });
      } finally {
        client.release();
      }
      onOrderCommitted();
      return { orderId: message.orderId, messageId };
    },

    async placeOrderThenRollback() {
      const publisher = getPublisher();
      if (!publisher) return undefined;
      const { message, messageId } = newOrder();
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await insertOrder(client, message);
        const outcome = await publisher.publish(ORDERS_EXCHANGE, ORDER_CREATED, Buffer.from(JSON.stringify(message)), {
          messageId,
          persistent: true,
          contentType: 'application/json',
          type: ORDER_CREATED,
        });
        // Ledger first: the message is out, so the fault has happened whatever the rollback does.
        if (outcome.status === 'confirmed') {
          await ledger.record('publish-then-rollback', { orderId: message.orderId, messageId });
        }
        await client.query('ROLLBACK');
        if (outcome.status !== 'confirmed') return undefined;
        return { orderId: message.orderId, messageId };
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw new Error('placing an order (publish-then-rollback)', { cause: err });
      } finally {
        client.release();
      }
    },

    async publishPoison() {
      const publisher = getPublisher();
      if (!publisher) return undefined;
      const messageId = randomUUID();
      // Truncated JSON: what a producer crashing mid-serialisation, or a buggy one, puts on the wire.
      const body = Buffer.from(`{"orderId":"${randomUUID()}","items":[{"sku":"pad-thai"`);
      const outcome = await publisher.publish(ORDERS_EXCHANGE, ORDER_CREATED, body, {
        messageId,
        persistent: true,
        contentType: 'application/json',
        type: ORDER_CREATED,
      });
      if (outcome.status !== 'confirmed') return undefined;
      await ledger.record('poison', { messageId });
      return { messageId };
    },
  };
}
