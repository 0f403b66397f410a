import type { Channel } from 'amqplib';
import {
  DEAD_LETTER_EXCHANGE,
  DISPATCH_DEAD_LETTER_QUEUE,
  DISPATCH_DELIVERY_LIMIT,
  DISPATCH_QUEUE,
  ORDER_CREATED,
  ORDERS_EXCHANGE,
  REPLENISH_QUEUE,
} from './names.ts';

/** Declares the reference system's exchanges, queues and bindings. Idempotent: every service runs it on connect. */
export async function declareTopology(channel: Channel): Promise<void> {
  await channel.assertExchange(ORDERS_EXCHANGE, 'topic', { durable: true });
  await channel.assertExchange(DEAD_LETTER_EXCHANGE, 'topic', { durable: true });

  await channel.assertQueue(DISPATCH_QUEUE, {
    durable: true,
    arguments: {
      'x-queue-type': 'quorum',
      'x-delivery-limit': DISPATCH_DELIVERY_LIMIT,
      'x-dead-letter-exchange': DEAD_LETTER_EXCHANGE,
    },
  });
  await channel.bindQueue(DISPATCH_QUEUE, ORDERS_EXCHANGE, ORDER_CREATED);

  await channel.assertQueue(DISPATCH_DEAD_LETTER_QUEUE, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  // Dead letters keep their original routing key, so the dead-letter queue takes every key.
  await channel.bindQueue(DISPATCH_DEAD_LETTER_QUEUE, DEAD_LETTER_EXCHANGE, '#');

  await channel.assertQueue(REPLENISH_QUEUE, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
  await channel.bindQueue(REPLENISH_QUEUE, ORDERS_EXCHANGE, ORDER_CREATED);
}
