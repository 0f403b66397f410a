import { describe, expect, it } from 'vitest';
import { duplicateDispatch } from '../../reconcilers/kinds/duplicate-dispatch.ts';
import { GRACE_MS, makeDispatch, makeOrder, makeSnapshot, NOW, secondsAgo } from '../support/builders.ts';

const detect = (snapshot: ReturnType<typeof makeSnapshot>) =>
  duplicateDispatch.detect(snapshot, NOW, { graceMs: GRACE_MS });

describe('duplicate-dispatch', () => {
  it('flags two live dispatches for one order and names the newer one as the extra', () => {
    const first = makeDispatch({ createdAt: secondsAgo(300) });
    const second = makeDispatch({ createdAt: secondsAgo(299) });
    const [judgement] = detect(makeSnapshot({ orders: [makeOrder()], dispatches: [second, first] }));
    expect(judgement).toMatchObject({
      verdict: 'mismatch',
      evidence: { liveDispatches: 2, keptDispatchId: first.id, extraDispatchIds: [second.id] },
    });
  });

  it('does not count a cancelled extra', () => {
    const [judgement] = detect(makeSnapshot({ dispatches: [makeDispatch(), makeDispatch({ isLive: false })] }));
    expect(judgement?.verdict).toBe('ok');
  });

  it('waits for the grace period after the second dispatch', () => {
    expect(detect(makeSnapshot({ dispatches: [makeDispatch(), makeDispatch({ createdAt: secondsAgo(5) })] }))).toEqual(
      [],
    );
  });

  it('judges without the orders database: it needs only the dispatch side', () => {
    const [judgement] = detect(makeSnapshot({ orders: undefined, dispatches: [makeDispatch(), makeDispatch()] }));
    expect(judgement?.verdict).toBe('mismatch');
  });

  it('says unknown when the dispatch database is down', () => {
    const [judgement] = detect(makeSnapshot({ dispatches: undefined }));
    expect(judgement?.verdict).toBe('unknown');
  });
});
