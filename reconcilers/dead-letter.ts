import type { Judgement } from './types.ts';

export const KIND = 'dead-letter';

/** A dead letter in Recon's custody, as the reconciler sees it (the store maps its rows to this). */
export interface DeadLetterFacts {
  /** The store's row id, so the UI can open the letter from its finding. */
  id: string;
  /** The message id, or the surrogate for a message without one: the finding's key. */
  key: string;
  messageId: string | null;
  state: 'stored' | 'redriven' | 'discarded';
  queue: string;
  reason: string;
  deathCount: number;
  originExchange: string | null;
  originRoutingKeys: readonly string[];
  firstDeathQueue: string | null;
  orderId: string | null;
  bodySize: number;
  isParseable: boolean;
}

export interface DeadLetterSnapshot {
  letters: readonly DeadLetterFacts[];
  /** Keys of open findings that were looked up with `letters`: one missing from them no longer exists. */
  openKeys: readonly string[];
}

/**
 * A letter still `stored` is a mismatch at once: a message in a dead-letter queue is never "in flight", so there
 * is no grace period and no clock. Redriven or discarded, it is settled (`ok`), and so is an open finding whose
 * letter is gone.
 */
function detect(snapshot: DeadLetterSnapshot): Judgement[] {
  const judgements: Judgement[] = snapshot.letters.map((letter) =>
    letter.state === 'stored'
      ? { kind: KIND, key: letter.key, verdict: 'mismatch', severity: 'warning', evidence: evidenceOf(letter) }
      : { kind: KIND, key: letter.key, verdict: 'ok', severity: 'warning' },
  );
  const present = new Set(snapshot.letters.map((letter) => letter.key));
  for (const key of snapshot.openKeys) {
    if (!present.has(key)) judgements.push({ kind: KIND, key, verdict: 'ok', severity: 'warning' });
  }
  return judgements;
}

// `orderId` and `messageId` are the names the findings search matches, so `/api/findings?q=<orderId>` finds it.
const evidenceOf = (letter: DeadLetterFacts): Record<string, unknown> => ({
  deadLetterId: letter.id,
  messageId: letter.messageId,
  orderId: letter.orderId,
  queue: letter.queue,
  reason: letter.reason,
  count: letter.deathCount,
  originExchange: letter.originExchange,
  originRoutingKeys: [...letter.originRoutingKeys],
  firstDeathQueue: letter.firstDeathQueue,
  bodySize: letter.bodySize,
  isParseable: letter.isParseable,
});

export const deadLetter = { kind: KIND, detect } as const;
