import { describe, expect, it } from 'vitest';
import { deadLetter } from '../../reconcilers/kinds/dead-letter.ts';
import type { DeadLetterFacts } from '../../reconcilers/snapshots/dead-letters.ts';
import { toDeadLetterMetrics } from '../../server/metrics/refresher.ts';
import { NOW, ORDER_ID } from '../support/builders.ts';

const DLQ = 'dispatch.order-created.dlq';

function makeLetter(overrides: Partial<DeadLetterFacts> = {}): DeadLetterFacts {
  return {
    id: '7',
    key: 'm-1',
    messageId: 'm-1',
    state: 'stored',
    queue: DLQ,
    reason: 'rejected',
    deathCount: 1,
    originExchange: 'orders',
    originRoutingKeys: ['order.created'],
    firstDeathQueue: 'dispatch.order-created',
    orderId: ORDER_ID,
    bodySize: 120,
    isParseable: true,
    ...overrides,
  };
}

describe('dead-letter', () => {
  it('flags a stored dead letter at once, keyed by its message id, with the order id in its evidence', () => {
    const [judgement] = deadLetter.detect({ letters: [makeLetter()], openKeys: [] }, NOW, {});
    expect(judgement).toEqual({
      kind: 'dead-letter',
      key: 'm-1',
      verdict: 'mismatch',
      severity: 'warning',
      evidence: {
        deadLetterId: '7',
        messageId: 'm-1',
        orderId: ORDER_ID,
        queue: DLQ,
        reason: 'rejected',
        count: 1,
        originExchange: 'orders',
        originRoutingKeys: ['order.created'],
        firstDeathQueue: 'dispatch.order-created',
        bodySize: 120,
        isParseable: true,
      },
    });
  });

  it('keys a letter without a message id by its surrogate', () => {
    const letter = makeLetter({ key: `sha256:${'0'.repeat(64)}`, messageId: null, orderId: null });
    expect(deadLetter.detect({ letters: [letter], openKeys: [] }, NOW, {})[0]).toMatchObject({ key: letter.key });
  });

  it('settles a letter that was redriven or discarded', () => {
    const judgements = deadLetter.detect(
      {
        letters: [makeLetter({ state: 'redriven' }), makeLetter({ key: 'm-2', state: 'discarded' })],
        openKeys: ['m-1', 'm-2'],
      },
      NOW,
      {},
    );
    expect(judgements.map((j) => `${j.key}:${j.verdict}`)).toEqual(['m-1:ok', 'm-2:ok']);
  });

  it('settles an open finding whose letter no longer exists, and leaves one still stored open', () => {
    const judgements = deadLetter.detect({ letters: [makeLetter()], openKeys: ['m-1', 'gone'] }, NOW, {});
    expect(judgements.map((j) => `${j.key}:${j.verdict}`)).toEqual(['m-1:mismatch', 'gone:ok']);
  });
});

describe('dead-letter repairs in words', () => {
  const evidenceOf = (overrides: Partial<DeadLetterFacts>) => {
    const [judgement] = deadLetter.detect({ letters: [makeLetter(overrides)], openKeys: [] }, NOW, {});
    return (judgement as { evidence: Parameters<typeof deadLetter.repairs.redrive.describe>[0] }).evidence;
  };

  it('names the order whose dispatch a redrive checks first', () => {
    expect(deadLetter.repairs.redrive.describe(evidenceOf({}), 'm-1')).toBe(
      `Redrive dead letter 7 to exchange orders, routing key order.created, unless order ${ORDER_ID} already has its dispatch`,
    );
  });

  it('says nothing of an order when the letter names none', () => {
    expect(deadLetter.repairs.redrive.describe(evidenceOf({ orderId: null }), 'm-1')).toBe(
      'Redrive dead letter 7 to exchange orders, routing key order.created',
    );
  });
});

describe('recon_dead_letters values', () => {
  it('reports every watched queue with every known reason, 0 when none is stored', () => {
    const values = toDeadLetterMetrics([{ queue: DLQ, reason: 'rejected', count: 3 }], [DLQ]);
    expect(values).toContainEqual({ queue: DLQ, reason: 'rejected', count: 3 });
    expect(values).toContainEqual({ queue: DLQ, reason: 'delivery_limit', count: 0 });
    expect(values).toContainEqual({ queue: DLQ, reason: 'fault', count: 0 });
    expect(values.filter((v) => v.queue === DLQ)).toHaveLength(6);
  });

  it('folds reasons a producer forged into one bounded label', () => {
    const values = toDeadLetterMetrics(
      [
        { queue: DLQ, reason: 'evil-1', count: 1 },
        { queue: DLQ, reason: 'evil-2', count: 2 },
      ],
      [DLQ],
    );
    expect(values).toContainEqual({ queue: DLQ, reason: 'other', count: 3 });
  });
});
