import type { OrderItem } from './order-message.ts';

const MENU: ReadonlyArray<Omit<OrderItem, 'quantity'>> = [
  { sku: 'pad-thai', name: 'Pad thai', priceCents: 1290 },
  { sku: 'margherita', name: 'Pizza margherita', priceCents: 1150 },
  { sku: 'ramen', name: 'Tonkotsu ramen', priceCents: 1390 },
  { sku: 'falafel', name: 'Falafel wrap', priceCents: 850 },
  { sku: 'lemonade', name: 'Lemonade', priceCents: 350 },
];

/** A random basket of one to three dishes, for generated traffic. */
export function randomBasket(): { customerId: string; items: OrderItem[]; totalCents: number } {
  const count = 1 + Math.floor(Math.random() * 3);
  const items = Array.from({ length: count }, () => {
    const dish = MENU[Math.floor(Math.random() * MENU.length)]!;
    return { ...dish, quantity: 1 + Math.floor(Math.random() * 2) };
  });
  const totalCents = items.reduce((sum, item) => sum + item.priceCents * item.quantity, 0);
  return { customerId: `customer-${Math.floor(Math.random() * 10_000)}`, items, totalCents };
}
