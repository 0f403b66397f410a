import { describe, expect, it } from 'vitest';
import { dispatchWithoutOrder } from '../../reconcilers/kinds/dispatch-without-order.ts';
import { GRACE_MS, makeDispatch, makeOrder, makeSnapshot, NOW, ORDER_ID, secondsAgo } from '../support/builders.ts';

const detect = (snapshot: ReturnType<typeof makeSnapshot>) =>
  dispatchWithoutOrder.detect(snapshot, NOW, { graceMs: GRACE_MS });

describe('dispatch-without-order', () => {
  it('flags a live dispatch older than the grace period whose order does not exist', () => {
    const dispatch = makeDispatch();
    const [judgement] = detect(makeSnapshot({ orders: [], dispatches: [dispatch] }));
    expect(judgement).toMatchObject({
      verdict: 'mismatch',
      key: ORDER_ID,
      evidence: { orderId: ORDER_ID, messageId: dispatch.messageId },
    });
  });

  it('ignores a dispatch created ten seconds ago (the replenisher may still make the order up)', () => {
    expect(detect(makeSnapshot({ orders: [], dispatches: [makeDispatch({ createdAt: secondsAgo(10) })] }))).toEqual([]);
  });

  it('says ok once the order exists', () => {
    const [judgement] = detect(makeSnapshot({ orders: [makeOrder()], dispatches: [makeDispatch()] }));
    expect(judgement?.verdict).toBe('ok');
  });

  it('says ok for a cancelled dispatch without order', () => {
    const [judgement] = detect(makeSnapshot({ orders: [], dispatches: [makeDispatch({ isLive: false })] }));
    expect(judgement?.verdict).toBe('ok');
  });

  it('says unknown, not orphan, when the orders database is down', () => {
    const [judgement] = detect(makeSnapshot({ orders: undefined, dispatches: [makeDispatch()] }));
    expect(judgement?.verdict).toBe('unknown');
  });
});
