import { z } from 'zod';

export const orderItemSchema = z.object({
  sku: z.string().min(1),
  name: z.string(),
  quantity: z.number().int().positive(),
  priceCents: z.number().int().nonnegative(),
});

/** Body of `order.created` (DESIGN.md wire contract). */
export const orderCreatedSchema = z.object({
  orderId: z.uuid(),
  customerId: z.string().min(1),
  items: z.array(orderItemSchema).min(1),
  totalCents: z.number().int().nonnegative(),
  createdAt: z.iso.datetime({ offset: true }),
});

export type OrderItem = z.infer<typeof orderItemSchema>;
export type OrderCreated = z.infer<typeof orderCreatedSchema>;

export type ParsedMessage = { ok: true; order: OrderCreated; messageId: string } | { ok: false; error: string };

/** Validates a delivery: a JSON body matching the contract and a uuid `message_id` (the inbox key). */
export function parseOrderCreated(content: Buffer, messageId: unknown): ParsedMessage {
  if (typeof messageId !== 'string' || !z.uuid().safeParse(messageId).success) {
    return { ok: false, error: 'message_id is missing or not a uuid' };
  }
  let body: unknown;
  try {
    body = JSON.parse(content.toString('utf8'));
  } catch {
    return { ok: false, error: 'body is not JSON' };
  }
  const parsed = orderCreatedSchema.safeParse(body);
  if (!parsed.success) return { ok: false, error: `body does not match order.created: ${parsed.error.message}` };
  return { ok: true, order: parsed.data, messageId };
}
