import { describe, expect, it } from 'vitest';
import { orderWithoutDispatch } from '../../reconcilers/kinds/order-without-dispatch.ts';
import { GRACE_MS, makeDispatch, makeOrder, makeSnapshot, NOW, ORDER_ID, secondsAgo } from '../support/builders.ts';

const detect = (snapshot: ReturnType<typeof makeSnapshot>) =>
  orderWithoutDispatch.detect(snapshot, NOW, { graceMs: GRACE_MS });

describe('order-without-dispatch', () => {
  it('flags a committed order with no dispatch after the grace period', () => {
    const [judgement] = detect(makeSnapshot({ orders: [makeOrder()], dispatches: [] }));
    expect(judgement).toMatchObject({
      kind: 'order-without-dispatch',
      key: ORDER_ID,
      verdict: 'mismatch',
      evidence: { orderId: ORDER_ID },
    });
  });

  it('ignores an order committed two seconds ago', () => {
    expect(detect(makeSnapshot({ orders: [makeOrder({ createdAt: secondsAgo(2) })], dispatches: [] }))).toEqual([]);
  });

  it('says ok when the order has a live dispatch, so an open finding resolves', () => {
    const [judgement] = detect(makeSnapshot({ orders: [makeOrder()], dispatches: [makeDispatch()] }));
    expect(judgement?.verdict).toBe('ok');
  });

  it('flags an order whose only dispatch was cancelled', () => {
    const [judgement] = detect(
      makeSnapshot({ orders: [makeOrder()], dispatches: [makeDispatch({ isLive: false, status: 'cancelled' })] }),
    );
    expect(judgement).toMatchObject({ verdict: 'mismatch', evidence: { cancelledDispatches: 1 } });
  });

  it('says unknown, not orphan, when the dispatch database is down', () => {
    const [judgement] = detect(makeSnapshot({ orders: [makeOrder()], dispatches: undefined }));
    expect(judgement?.verdict).toBe('unknown');
  });

  it('says unknown when the orders database is down', () => {
    const [judgement] = detect(makeSnapshot({ orders: undefined, dispatches: [] }));
    expect(judgement?.verdict).toBe('unknown');
  });

  it('says ok when the order no longer exists (another rule covers a dispatch without order)', () => {
    const [judgement] = detect(makeSnapshot({ orders: [], dispatches: [] }));
    expect(judgement?.verdict).toBe('ok');
  });
});
