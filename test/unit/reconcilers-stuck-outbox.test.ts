import { describe, expect, it } from 'vitest';
import type { DatabaseEngineContext } from '../../reconcilers/engine/judge-orders.ts';
import { judgeOutbox } from '../../reconcilers/engine/judge-outbox.ts';
import { stuckOutbox } from '../../reconcilers/kinds/stuck-outbox.ts';
import type { Judgement } from '../../reconcilers/vocabulary.ts';
import { GRACE_MS, makeOutboxRow, NOW, ORDER_ID, secondsAgo } from '../support/builders.ts';

describe('stuck-outbox', () => {
  it('flags an outbox row unpublished after the grace period, keyed by its message id', () => {
    const row = makeOutboxRow({ attempts: 3, lastError: 'timeout' });
    const [judgement] = stuckOutbox.detect({ unpublished: [row], openKeys: [] }, NOW, { graceMs: GRACE_MS });
    expect(judgement).toMatchObject({
      kind: 'stuck-outbox',
      key: row.messageId,
      verdict: 'mismatch',
      evidence: { orderId: ORDER_ID, attempts: 3, lastError: 'timeout' },
    });
  });

  it('ignores a row still in flight', () => {
    expect(
      stuckOutbox.detect({ unpublished: [makeOutboxRow({ createdAt: secondsAgo(3) })], openKeys: [] }, NOW, {
        graceMs: GRACE_MS,
      }),
    ).toEqual([]);
  });

  it('counts the grace period of a delayed publish from its due time, not from when it was written', () => {
    const judge = (delayedUntil: Date) =>
      stuckOutbox.detect(
        { unpublished: [makeOutboxRow({ createdAt: secondsAgo(3_600), delayedUntil })], openKeys: [] },
        NOW,
        { graceMs: GRACE_MS },
      );
    expect(judge(secondsAgo(-600))).toEqual([]); // due in ten minutes
    expect(judge(secondsAgo(30))).toEqual([]); // due half a minute ago: still within the grace period
    expect(judge(secondsAgo(120))).toEqual([expect.objectContaining({ verdict: 'mismatch' })]);
  });

  it('resolves an open finding whose row is no longer unpublished', () => {
    const judgements = stuckOutbox.detect({ unpublished: [], openKeys: ['m-1'] }, NOW, { graceMs: GRACE_MS });
    expect(judgements).toEqual([expect.objectContaining({ key: 'm-1', verdict: 'ok' })]);
  });

  it('says unknown for open findings when the orders database was not read', () => {
    const judgements = stuckOutbox.detect({ unpublished: undefined, openKeys: ['m-1'] }, NOW, { graceMs: GRACE_MS });
    expect(judgements).toEqual([expect.objectContaining({ key: 'm-1', verdict: 'unknown' })]);
  });

  it('reads the open findings that did not fit in the unpublished list instead of resolving them', async () => {
    const listed = Array.from({ length: 10_000 }, (_, i) => makeOutboxRow({ messageId: `m-${i}` }));
    const openRow = makeOutboxRow({ messageId: 'open-one' });
    const applied: Judgement[] = [];
    const ctx = {
      outbox: {
        listUnpublished: async () => listed,
        findUnpublished: async (ids: readonly string[]) => (ids.includes('open-one') ? [openRow] : []),
      },
      outboxKinds: [stuckOutbox],
      settings: { graceMs: GRACE_MS },
      health: { success: () => {}, failure: () => {} },
      findings: {
        openKeys: () => ['open-one'],
        apply: async (judgements: readonly Judgement[]) => {
          applied.push(...judgements);
          return { opened: 0, resolved: 0 };
        },
      },
    };
    await judgeOutbox(ctx as unknown as DatabaseEngineContext, NOW);
    expect(applied.find((j) => j.key === 'open-one')?.verdict).toBe('mismatch');
  });
});
