import { randomUUID } from 'node:crypto';
import { ORDER_CREATED, ORDERS_EXCHANGE } from '../../demo/names.ts';
import type { OrderCreated } from '../../demo/order-message.ts';
import { REPLAY_COUNT_HEADER } from '../../reconcilers/kinds/dead-letter.ts';
import type { OutgoingMessage } from '../../reconcilers/ports/repair.ts';

const MENU = [
  { sku: 'PIZ-MARG-12', name: 'Margherita pizza, 12 inch', priceCents: 1150 },
  { sku: 'PIZ-DIAV-12', name: 'Diavola pizza, 12 inch', priceCents: 1390 },
  { sku: 'SID-GARL-06', name: 'Garlic bread, 6 pieces', priceCents: 450 },
  { sku: 'DRK-LEMO-33', name: 'Sparkling lemonade 33cl', priceCents: 290 },
] as const;
const EPOCH_MS = Date.parse('2025-03-01T12:00:00.000Z');

/**
 * Dead letters as Recon redrives them (reconcilers/dead-letter.ts): the stored `order.created` body (~300 bytes of
 * JSON), the message's own uuid `message_id`, broker headers stripped, Recon's replay counter added, and the kept
 * properties (type, app id, timestamp) that Recon's publisher copies.
 */
export function makeDeadLetters(count: number): OutgoingMessage[] {
  return Array.from({ length: count }, (_, i) => {
    const items = [MENU[i % 2]!, MENU[2 + (i % 2)]!].map((item, n) => ({ ...item, quantity: 1 + ((i + n) % 3) }));
    const order: OrderCreated = {
      orderId: randomUUID(),
      customerId: `customer-${String(i % 50_000).padStart(6, '0')}`,
      items,
      totalCents: items.reduce((sum, item) => sum + item.priceCents * item.quantity, 0),
      createdAt: new Date(EPOCH_MS + i * 2_000).toISOString(),
    };
    return {
      exchange: ORDERS_EXCHANGE,
      routingKey: ORDER_CREATED,
      body: Buffer.from(JSON.stringify(order)),
      messageId: randomUUID(),
      contentType: 'application/json',
      headers: { [REPLAY_COUNT_HEADER]: 1 + (i % 3) },
      properties: { type: ORDER_CREATED, appId: 'order-service', timestamp: Math.floor((EPOCH_MS + i * 2_000) / 1000) },
    };
  });
}
