import { describe, expect, it } from 'vitest';
import { parseOrderCreated } from '../../demo/order-message.ts';

const MESSAGE_ID = '7d1c0f7e-4a55-4b4e-9a51-0c7bb0c0f001';
const makeBody = (overrides: Record<string, unknown> = {}) =>
  Buffer.from(
    JSON.stringify({
      orderId: '8c1f2a3b-0d4e-4f50-8a6b-7c8d9e0f1a2b',
      customerId: 'customer-1',
      items: [{ sku: 'ramen', name: 'Tonkotsu ramen', quantity: 1, priceCents: 1390 }],
      totalCents: 1390,
      createdAt: '2026-11-23T10:00:00.000Z',
      ...overrides,
    }),
  );

describe('parseOrderCreated', () => {
  it('accepts a contract-conforming order.created', () => {
    const parsed = parseOrderCreated(makeBody(), MESSAGE_ID);
    expect(parsed).toMatchObject({ ok: true, messageId: MESSAGE_ID, order: { totalCents: 1390 } });
  });

  it('rejects a body that is not JSON', () => {
    expect(parseOrderCreated(Buffer.from('{"orderId":'), MESSAGE_ID)).toEqual({ ok: false, error: 'body is not JSON' });
  });

  it('rejects a body without orderId', () => {
    expect(parseOrderCreated(makeBody({ orderId: undefined }), MESSAGE_ID).ok).toBe(false);
  });

  it('rejects a message without a uuid message_id, since the inbox is keyed by it', () => {
    expect(parseOrderCreated(makeBody(), undefined)).toMatchObject({ ok: false, error: /message_id/ });
    expect(parseOrderCreated(makeBody(), 'not-a-uuid').ok).toBe(false);
  });
});
