import { describe, expect, it } from 'vitest';
import { deadLetter } from '../../reconcilers/kinds/dead-letter.ts';
import { dispatchWithoutOrder } from '../../reconcilers/kinds/dispatch-without-order.ts';
import { duplicateDispatch } from '../../reconcilers/kinds/duplicate-dispatch.ts';
import { orderWithoutDispatch } from '../../reconcilers/kinds/order-without-dispatch.ts';
import { outboxSlotLag } from '../../reconcilers/kinds/outbox-slot-lag.ts';
import { stuckOutbox } from '../../reconcilers/kinds/stuck-outbox.ts';

// The likely cause and the recommended repair are pure functions of a finding's evidence: the same facts always
// give the same words, so the operator at night and the runbook agree. Each case starts from the kind's example.

const KEY = '8c1f2a3b-0d4e-4f50-8a6b-7c8d9e0f1a2b';

describe('order-without-dispatch', () => {
  const base = orderWithoutDispatch.example.evidence;

  it('says no dispatch was ever created and recommends redeliver when none was cancelled', () => {
    expect(orderWithoutDispatch.cause(base, KEY)).toMatch(/never created a dispatch/);
    expect(orderWithoutDispatch.recommend(base, KEY)?.action).toBe('redeliver');
  });

  it('says the dispatch was cancelled and recommends no button until someone checks who cancelled it', () => {
    const evidence = { ...base, cancelledDispatches: 1 };
    expect(orderWithoutDispatch.cause(evidence, KEY)).toMatch(/created and later cancelled/);
    const advice = orderWithoutDispatch.recommend(evidence, KEY);
    expect(advice?.action).toBeNull();
    expect(advice?.why).toMatch(/order timeline/);
  });
});

describe('dispatch-without-order', () => {
  const base = dispatchWithoutOrder.example.evidence;
  const withStatus = (status: string) => ({ ...base, dispatches: base.dispatches.map((d) => ({ ...d, status })) });

  it("recommends make-up-order for a dispatch made from the order's own message", () => {
    expect(dispatchWithoutOrder.cause(base, KEY)).toMatch(/rolled back/);
    const advice = dispatchWithoutOrder.recommend(base, KEY);
    expect(advice?.action).toBe('make-up-order');
    expect(advice?.why).toMatch(/replenisher/);
  });

  it('recommends make-up-order, never cancel, once a courier is on the way', () => {
    const advice = dispatchWithoutOrder.recommend(withStatus('picked_up'), KEY);
    expect(advice?.action).toBe('make-up-order');
    expect(advice?.why).toMatch(/on the way/);
  });

  it('recommends no button for a dispatch that names no message', () => {
    const evidence = { ...base, messageId: null };
    expect(dispatchWithoutOrder.cause(evidence, KEY)).toMatch(/by hand/);
    expect(dispatchWithoutOrder.recommend(evidence, KEY)?.action).toBeNull();
  });

  it('tells the customer cancel-dispatch leaves them with nothing', () => {
    expect(dispatchWithoutOrder.repairs['cancel-dispatch'].customerEffect(base, KEY)).toMatch(/gets nothing/);
  });
});

describe('stuck-outbox', () => {
  const base = stuckOutbox.example.evidence;

  it('recommends republish when the library gave up on the row', () => {
    const evidence = { ...base, hasFailed: true, attempts: 5, lastError: 'channel closed' };
    expect(stuckOutbox.cause(evidence, base.messageId)).toMatch(/gave up .* after 5 attempt\(s\) \(channel closed\)/);
    expect(stuckOutbox.recommend(evidence, base.messageId)?.action).toBe('republish');
  });

  it('points to the relay, not a button, while the row is merely late', () => {
    const evidence = { ...base, hasFailed: false, lastError: null };
    expect(stuckOutbox.cause(evidence, base.messageId)).toMatch(/relay/);
    expect(stuckOutbox.recommend(evidence, base.messageId)?.action).toBeNull();
  });
});

describe('dead-letter', () => {
  const base = deadLetter.example.evidence;

  it('recommends discard for a body the consumer cannot parse', () => {
    const evidence = { ...base, isParseable: false };
    expect(deadLetter.cause(evidence, KEY)).toMatch(/poison/);
    expect(deadLetter.recommend(evidence, KEY)?.action).toBe('discard');
  });

  it('recommends redrive for a readable message that expired while its consumer was away', () => {
    const evidence = { ...base, reason: 'expired' };
    expect(deadLetter.cause(evidence, KEY)).toMatch(/time to live/);
    expect(deadLetter.recommend(evidence, KEY)?.action).toBe('redrive');
  });

  it('recommends no button for a readable message the consumer rejected, or one that died before', () => {
    expect(deadLetter.recommend(base, KEY)?.action).toBeNull();
    expect(deadLetter.recommend({ ...base, reason: 'expired', count: 2 }, KEY)?.action).toBeNull();
  });
});

describe('duplicate-dispatch', () => {
  const base = duplicateDispatch.example.evidence;

  it('tells one message processed twice from two messages for one order', () => {
    const same = { ...base, dispatches: base.dispatches.map((d) => ({ ...d, messageId: 'm-1' })) };
    const different = { ...base, dispatches: base.dispatches.map((d, i) => ({ ...d, messageId: `m-${i}` })) };
    expect(duplicateDispatch.cause(same, KEY)).toMatch(/same message more than once/);
    expect(duplicateDispatch.cause(different, KEY)).toMatch(/Different messages/);
  });

  it('recommends cancelling the extras, keeping the oldest', () => {
    const advice = duplicateDispatch.recommend(base, KEY);
    expect(advice?.action).toBe('cancel-dispatch');
    expect(advice?.why).toContain(base.keptDispatchId);
  });
});

describe('outbox-slot-lag', () => {
  const base = outboxSlotLag.example.evidence;

  it('tells a detached connector from a slot that is gone', () => {
    expect(outboxSlotLag.cause(base, base.slot)).toMatch(/No connector is attached/);
    expect(outboxSlotLag.cause({ ...base, exists: false }, base.slot)).toMatch(/slot is gone/);
    expect(outboxSlotLag.recommend(base, base.slot)?.action).toBeNull();
  });
});
