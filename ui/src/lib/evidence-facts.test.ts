import { describe, expect, it } from 'vitest';
import { toEvidenceFacts, toLabel } from './evidence-facts.ts';

const ORDER = '8c1f2a3b-0d4e-4f50-8a6b-7c8d9e0f1a2b';

describe('evidence as facts', () => {
  it('links the order to its timeline and shows ISO text as a time', () => {
    const facts = toEvidenceFacts({
      orderId: ORDER,
      orderCreatedAt: '2026-11-23T12:00:00.000Z',
      cancelledDispatches: 0,
    });
    expect(facts).toEqual([
      { name: 'orderId', label: 'Order id', values: [{ text: ORDER, href: `#/orders/${ORDER}` }] },
      {
        name: 'orderCreatedAt',
        label: 'Order created at',
        values: [{ text: '2026-11-23T12:00:00.000Z', isTime: true }],
      },
      { name: 'cancelledDispatches', label: 'Cancelled dispatches', values: [{ text: '0' }] },
    ]);
  });

  it("shows each dispatch with its status and message, linked to its order's timeline", () => {
    const [, dispatches] = toEvidenceFacts({
      orderId: ORDER,
      dispatches: [{ id: '41', messageId: 'm-1', status: 'assigned', createdAt: '2026-11-23T12:00:01.000Z' }],
    });
    expect(dispatches?.values).toEqual([
      { text: 'dispatch 41 (assigned, from message m-1)', href: `#/orders/${ORDER}` },
    ]);
  });

  it('links a dead letter to its page and a message to every finding about it', () => {
    const facts = toEvidenceFacts({ deadLetterId: '7', messageId: 'm-1' });
    expect(facts.map((f) => f.values[0]?.href)).toEqual(['#/dead-letters/7', '#/findings?q=m-1&state=all']);
  });

  it('shows null as a dash and an empty list as none, never dropping a field', () => {
    const facts = toEvidenceFacts({ lastError: null, candidates: [], consumers: [{ tag: 'a' }] });
    expect(facts.map((f) => f.values[0]?.text)).toEqual(['—', 'none', '{"tag":"a"}']);
  });

  it('reads camelCase names as words', () => {
    expect(toLabel('unconfirmedByPoll')).toBe('Unconfirmed by poll');
  });
});
