import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import amqp, { type ChannelModel, type ConsumeMessage } from 'amqplib';
import pg from 'pg';
import type { IsolatedEnv } from './isolated-env.ts';

// examples/masstransit/ as a shop running it: the example's SQL files in the test's own databases, MassTransit's
// RabbitMQ topology, its JSON envelope and fault headers, and a delivery consumer that records what it is sent.

export const EXAMPLE_DIR = fileURLToPath(new URL('../../examples/masstransit/', import.meta.url));
export const SUBMITTED = 'urn:message:Shop.Contracts:OrderSubmitted';
/** MassTransit publishes a message to an exchange named after its type, bound to each consuming endpoint's exchange. */
export const MESSAGE_EXCHANGE = 'Shop.Contracts:OrderSubmitted';
export const INPUT_QUEUE = 'submit-delivery';
export const ERROR_QUEUE = `${INPUT_QUEUE}_error`;
/** The delivery consumer's "ConsumerId", as examples/masstransit/recon.yaml's inbox filter names it. */
export const DELIVERY_CONSUMER = '0f8d6c2a-3b1e-4d5f-9a7c-2e4b6d8f0a1c';
export const NOTIFY_CONSUMER = '7c3e9b14-52d0-4a8e-b6f1-9d2c4e6a8b03';
export const CANCELLED = 4;

export interface ShopDatabases {
  orders: pg.Pool;
  dispatch: pg.Pool;
  close(): Promise<void>;
}

/** The example's SQL, run as a user would run it: masstransit.sql in both databases, then each side's own table. */
export async function createShopDatabases(env: IsolatedEnv): Promise<ShopDatabases> {
  const orders = new pg.Pool({ connectionString: env.ordersDatabaseUrl, max: 2 });
  const dispatch = new pg.Pool({ connectionString: env.dispatchDatabaseUrl, max: 2 });
  const sql = (name: string) => readFile(`${EXAMPLE_DIR}${name}`, 'utf8');
  const library = await sql('masstransit.sql');
  await orders.query(library);
  await orders.query(await sql('orders.sql'));
  await dispatch.query(library);
  await dispatch.query(await sql('deliveries.sql'));
  return { orders, dispatch, close: async () => void (await Promise.all([orders.end(), dispatch.end()])) };
}

/** The body MassTransit's JSON serializer writes: the message inside its envelope. */
export function envelope(messageId: string, messageType: string, message: Record<string, unknown>): string {
  return JSON.stringify({
    messageId,
    conversationId: randomUUID(),
    sourceAddress: 'rabbitmq://localhost/shop_orders_api',
    destinationAddress: `rabbitmq://localhost/${messageType.slice('urn:message:'.length)}`,
    messageType: [messageType],
    message,
    sentTime: '2026-05-04T10:11:10.1234567Z',
    headers: {},
    host: { machineName: 'shop-1', processName: 'Shop.Api', frameworkVersion: '8.0.11', massTransitVersion: '8.3.1' },
  });
}

/** One "OutboxMessage" row as the bus outbox writes it; `sentAgo` in SQL interval text. */
export async function insertOutboxMessage(
  pool: pg.Pool,
  row: { messageId: string; messageType: string; message: Record<string, unknown>; sentAgo: string },
): Promise<void> {
  await pool.query(
    `INSERT INTO "OutboxMessage" ("SentTime", "Headers", "Properties", "MessageId", "ContentType", "MessageType",
       "Body", "ConversationId", "SourceAddress", "DestinationAddress")
     VALUES (now() - $1::interval, '{}', '{}', $2, 'application/vnd.masstransit+json', $3, $4, $5,
       'rabbitmq://localhost/shop_orders_api', $6)`,
    [
      row.sentAgo,
      row.messageId,
      row.messageType,
      envelope(row.messageId, row.messageType, row.message),
      randomUUID(),
      `rabbitmq://localhost/${row.messageType.slice('urn:message:'.length)}`,
    ],
  );
}

/** A consumer's "InboxState" row for a message it consumed. */
export async function insertInboxState(db: pg.Pool | pg.PoolClient, messageId: string, consumerId: string) {
  await db.query(
    `INSERT INTO "InboxState" ("MessageId", "ConsumerId", "LockId", "Received", "ReceiveCount", "Consumed", "Delivered")
     VALUES ($1, $2, $3, now(), 1, now(), now())`,
    [messageId, consumerId, randomUUID()],
  );
}

/**
 * MassTransit's topology for the delivery endpoint: the message type's exchange → the endpoint's exchange → its
 * queue, and the `_error` exchange and queue a fault is moved to.
 */
export async function declareTopology(env: IsolatedEnv): Promise<void> {
  const connection = await amqp.connect(env.rabbitmqUrl);
  try {
    const channel = await connection.createChannel();
    await channel.assertExchange(MESSAGE_EXCHANGE, 'fanout', { durable: true });
    for (const name of [INPUT_QUEUE, ERROR_QUEUE]) {
      await channel.assertExchange(name, 'fanout', { durable: true });
      await channel.assertQueue(name, { durable: true });
      await channel.bindQueue(name, name, '');
    }
    await channel.bindExchange(INPUT_QUEUE, MESSAGE_EXCHANGE, '');
  } finally {
    await connection.close();
  }
}

/** The MT-Fault-* headers MassTransit adds when it moves a faulted message to the endpoint's `_error` exchange. */
export function faultHeaders(env: IsolatedEnv, exception: string): Record<string, unknown> {
  return {
    'MT-Reason': 'fault',
    'MT-Fault-ExceptionType': 'System.InvalidOperationException',
    'MT-Fault-Message': exception,
    'MT-Fault-StackTrace': '   at Shop.Delivery.SubmitDeliveryConsumer.Consume(ConsumeContext`1 context)',
    'MT-Fault-Timestamp': '2026-05-04T10:11:12.1234567Z',
    'MT-Fault-InputAddress': `rabbitmq://localhost/${encodeURIComponent(env.vhost)}/${INPUT_QUEUE}`,
    'MT-Fault-ConsumerType': 'Shop.Delivery.SubmitDeliveryConsumer',
    'MT-Fault-MessageType': 'Shop.Contracts:OrderSubmitted',
    'MT-Host-MachineName': 'delivery-1',
  };
}

/** A fault as MassTransit moves it: body and message id unchanged, to the `_error` exchange, with MT-Fault-*. */
export async function publishFault(env: IsolatedEnv, messageId: string, body: string, exception: string) {
  const connection = await amqp.connect(env.rabbitmqUrl);
  try {
    const channel = await connection.createConfirmChannel();
    channel.publish(ERROR_QUEUE, '', Buffer.from(body), {
      messageId,
      contentType: 'application/vnd.masstransit+json',
      persistent: true,
      headers: faultHeaders(env, exception),
    });
    await channel.waitForConfirms();
  } finally {
    await connection.close();
  }
}

export interface DeliveryConsumer {
  received: ConsumeMessage[];
  stop(): Promise<void>;
}

/**
 * The delivery service in miniature: consumes submit-delivery, and in one transaction writes the delivery and its
 * inbox row (consumed). Like MassTransit's JSON deserializer it reads only its envelope: the order id from `message`,
 * the inbox's message id from `messageId`; anything else is left unacked, as a faulting consumer would.
 */
export async function startDeliveryConsumer(env: IsolatedEnv, dispatch: pg.Pool): Promise<DeliveryConsumer> {
  const connection: ChannelModel = await amqp.connect(env.rabbitmqUrl);
  const channel = await connection.createChannel();
  const received: ConsumeMessage[] = [];
  await channel.consume(INPUT_QUEUE, async (msg) => {
    if (!msg) return;
    const body = JSON.parse(msg.content.toString('utf8'));
    const orderId = body.message?.orderId;
    if (msg.properties.contentType !== 'application/vnd.masstransit+json' || orderId === undefined) return;
    const client = await dispatch.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO "Deliveries" ("OrderId", "Status", "CourierName", "CreatedAt") VALUES ($1, 1, 'courier-again', now())`,
        [orderId],
      );
      await insertInboxState(client, body.messageId ?? msg.properties.messageId, DELIVERY_CONSUMER);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    received.push(msg);
    channel.ack(msg);
  });
  return { received, stop: () => connection.close() };
}
