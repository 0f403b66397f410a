import { done, failed, type Repair, superseded, toPublishOutcome } from './repair-types.ts';
import type { Judgement } from './types.ts';

export const KIND = 'dead-letter';
/** Recon's own replay counter: RabbitMQ 4.x ignores a client's x-death on republish. */
export const REPLAY_COUNT_HEADER = 'x-recon-replay-count';
/** Set by the broker on each death; a republished copy starts fresh. */
const BROKER_HEADERS = [
  'x-death',
  'x-first-death-queue',
  'x-first-death-reason',
  'x-first-death-exchange',
  'x-last-death-queue',
  'x-last-death-reason',
  'x-last-death-exchange',
  'x-delivery-count',
];

/** A dead letter in Recon's custody, as the reconciler sees it (the store maps its rows to this). */
export interface DeadLetterFacts {
  /** The store's row id, so the UI can open the letter from its finding. */
  id: string;
  /** The message id, or the surrogate for a message without one: the finding's key. */
  key: string;
  messageId: string | null;
  state: 'stored' | 'redriven' | 'discarded' | 'consistent';
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

/**
 * `redrive`: publish the stored message back to its origin, with its own message id (the consumer never committed
 * it) and the replay count one higher. First the dispatch database: when the order has its dispatch already, the
 * letter is settled as consistent and nothing is published.
 */
const redrive: Repair = async ({ evidence, messageId, isRetry }, ports) => {
  const letter = await ports.deadLetters.get(String(evidence.deadLetterId));
  if (!letter) return failed(`dead letter ${String(evidence.deadLetterId)} is not in Recon's store`);
  if (letter.state !== 'stored') {
    const detail = `dead letter ${letter.id} is ${letter.state} already`;
    return isRetry && letter.state === 'redriven' ? done(detail) : superseded(detail);
  }
  const id = letter.messageId ?? messageId;
  if (isRetry && (await ports.dispatch.isProcessed(id))) {
    await ports.deadLetters.settle(letter.id, 'redriven', 'redriven; the consumer processed it');
    return done(`dead letter ${letter.id} was redriven and processed`);
  }
  if (letter.orderId) {
    const live = await ports.dispatch.liveDispatches(letter.orderId);
    if (live.length > 0) {
      const detail = `already consistent: order ${letter.orderId} has dispatch ${live[0]!.id}; not republished`;
      await ports.deadLetters.settle(letter.id, 'consistent', detail);
      return superseded(detail);
    }
  }
  const replays = replayCountOf(letter.headers);
  if (replays >= ports.maxReplays)
    return failed(`dead letter ${letter.id} was redriven ${replays} time(s); the limit is ${ports.maxReplays}`);
  if (letter.bodyTruncated) return failed(`dead letter ${letter.id} was stored truncated; its body cannot be redriven`);
  if (letter.originExchange === null) return failed(`dead letter ${letter.id} names no origin exchange (no x-death)`);
  const routingKey = letter.originRoutingKeys[0] ?? '';
  const headers = Object.fromEntries(Object.entries(letter.headers).filter(([name]) => !BROKER_HEADERS.includes(name)));
  const result = await ports.publisher.publish({
    exchange: letter.originExchange,
    routingKey,
    body: letter.body,
    messageId: id,
    contentType: letter.contentType,
    headers: { ...headers, [REPLAY_COUNT_HEADER]: replays + 1 },
    properties: letter.properties,
  });
  const exchangeName = letter.originExchange || '(default)';
  const outcome = toPublishOutcome(result, `dead letter ${letter.id} to exchange ${exchangeName} key ${routingKey}`);
  if (outcome.status === 'done') await ports.deadLetters.settle(letter.id, 'redriven', outcome.detail);
  return outcome;
};

/** `discard`: the letter stays in the store, searchable, with the operator's reason. */
const discard: Repair = async ({ evidence, reason }, ports) => {
  const id = String(evidence.deadLetterId);
  return (await ports.deadLetters.settle(id, 'discarded', reason))
    ? done(`dead letter ${id} discarded`)
    : superseded(`dead letter ${id} is no longer stored`);
};

function replayCountOf(headers: Record<string, unknown>): number {
  const value = Object.hasOwn(headers, REPLAY_COUNT_HEADER) ? headers[REPLAY_COUNT_HEADER] : 0;
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 0;
}

export const deadLetter = { kind: KIND, detect } as const;
export const deadLetterRepairs = { redrive, discard } as const;
