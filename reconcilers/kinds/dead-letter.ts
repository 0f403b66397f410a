import { causeOf, recommendFor } from '../dead-letter-advice.ts';
import { defineKind } from '../define-kind.ts';
import type { StoredLetter } from '../ports/repair.ts';
import { redriveRefusal } from '../redrive-destination.ts';
import { defineRepair, done, failed, holds, settle, superseded, toPublishOutcome } from '../repair.ts';
import type { DeadLetterFacts, DeadLetterSnapshot } from '../snapshots/dead-letters.ts';
import { type Judgement, judgementsOf } from '../vocabulary.ts';

const KIND = 'dead-letter';
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

export interface DeadLetterEvidence {
  /** The letter's id in Recon's store, so the UI can open it from its finding. */
  deadLetterId: string;
  messageId: string | null;
  orderId: string | null;
  queue: string;
  reason: string;
  count: number;
  originExchange: string | null;
  originRoutingKeys: string[];
  firstDeathQueue: string | null;
  bodySize: number;
  isParseable: boolean;
}

const judge = judgementsOf<typeof KIND, DeadLetterEvidence>(KIND, 'warning');

/**
 * A letter still `stored` is a mismatch at once: a message in a dead-letter queue is never "in flight", so there
 * is no grace period and no clock. Redriven or discarded, it is settled (`ok`), and so is an open finding whose
 * letter is gone.
 */
function detect(snapshot: DeadLetterSnapshot) {
  const judgements: Judgement<typeof KIND, DeadLetterEvidence>[] = snapshot.letters.map((letter) =>
    letter.state === 'stored' ? judge.mismatch(letter.key, evidenceOf(letter)) : judge.ok(letter.key),
  );
  const present = new Set(snapshot.letters.map((letter) => letter.key));
  for (const key of snapshot.openKeys) if (!present.has(key)) judgements.push(judge.ok(key));
  return judgements;
}

const evidenceOf = (letter: DeadLetterFacts): DeadLetterEvidence => ({
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

interface RedriveFacts {
  letter: StoredLetter;
  /** The letter's own message id, or the action's for a message without one. */
  messageId: string;
  replays: number;
}

/**
 * `redrive`: publish the stored message back to its origin, with its own message id (the consumer never committed
 * it) and the replay count one higher. First the dispatch database: when the order has its dispatch already, the
 * letter is settled as consistent and nothing is published.
 */
const redrive = defineRepair<DeadLetterEvidence, RedriveFacts>({
  describe: (e) => {
    const exchange = e.originExchange === null ? '?' : e.originExchange || '(default)';
    const origin = `exchange ${exchange}, routing key ${e.originRoutingKeys[0] ?? ''}`;
    // Without an order id there is no dispatch to check first: the redrive publishes whatever the letter holds.
    const unless = e.orderId ? `, unless order ${e.orderId} already has its dispatch` : '';
    return `Redrive dead letter ${e.deadLetterId} to ${origin}${unless}`;
  },
  customerEffect: (e) =>
    `The consumer gets the message again${e.orderId ? `; if it takes it, order ${e.orderId} is dispatched` : ''}. ` +
    'If the order already has its dispatch, nothing is sent.',
  whenToChoose:
    'The cause is gone (the consumer is back, or fixed) and the body is readable. Not for a body the consumer ' +
    'cannot parse: it dies again.',
  target: (e) => `dead-letter:${e.deadLetterId}`,
  async premise({ evidence: { deadLetterId }, messageId: actionMessageId, isRetry }, ports) {
    const letter = await ports.deadLetters.get(deadLetterId);
    if (!letter) return settle(failed(`dead letter ${deadLetterId} is not in Recon's store`));
    if (letter.state !== 'stored') {
      const detail = `dead letter ${letter.id} is ${letter.state} already`;
      return settle(isRetry && letter.state === 'redriven' ? done(detail) : superseded(detail));
    }
    const messageId = letter.messageId ?? actionMessageId;
    if (isRetry && (await ports.dispatch.isProcessed(messageId))) {
      await ports.deadLetters.settle(letter.id, 'redriven', 'redriven; the consumer processed it');
      return settle(done(`dead letter ${letter.id} was redriven and processed`));
    }
    if (letter.orderId) {
      const [dispatch] = await ports.dispatch.liveDispatches(letter.orderId);
      if (dispatch) {
        const detail = `already consistent: order ${letter.orderId} has dispatch ${dispatch.id}; not republished`;
        await ports.deadLetters.settle(letter.id, 'consistent', detail);
        return settle(superseded(detail));
      }
    }
    const replays = replayCountOf(letter.headers);
    if (replays >= ports.maxReplays)
      return settle(
        failed(`dead letter ${letter.id} was redriven ${replays} time(s); the limit is ${ports.maxReplays}`),
      );
    if (letter.bodyTruncated)
      return settle(failed(`dead letter ${letter.id} was stored truncated; its body cannot be redriven`));
    if (letter.originExchange === null)
      return settle(
        failed(`dead letter ${letter.id} names no origin (no x-death, or no input queue in MT-Fault-InputAddress)`),
      );
    const refusal = redriveRefusal(letter, ports);
    if (refusal) return settle(failed(refusal));
    return holds({ letter, messageId, replays });
  },
  async effect(_request, { letter, messageId, replays }, ports) {
    const exchange = letter.originExchange ?? '';
    const routingKey = letter.originRoutingKeys[0] ?? '';
    const headers = Object.fromEntries(
      Object.entries(letter.headers).filter(([name]) => !BROKER_HEADERS.includes(name)),
    );
    const result = await ports.publisher.publish({
      exchange,
      routingKey,
      body: letter.body,
      messageId,
      contentType: letter.contentType,
      headers: { ...headers, [REPLAY_COUNT_HEADER]: replays + 1 },
      properties: letter.properties,
    });
    const outcome = toPublishOutcome(
      result,
      `dead letter ${letter.id} to exchange ${exchange || '(default)'} key ${routingKey}`,
    );
    if (outcome.status === 'done') await ports.deadLetters.settle(letter.id, 'redriven', outcome.detail);
    return outcome;
  },
});

/** `discard`: the letter stays in the store, searchable, with the operator's reason. */
const discard = defineRepair<DeadLetterEvidence, undefined>({
  describe: (e) => `Mark dead letter ${e.deadLetterId} discarded with your reason; it stays searchable`,
  customerEffect: (e) =>
    `Nothing reaches the consumer${e.orderId ? `: order ${e.orderId} stays as it is (check it has its dispatch)` : ''}; ` +
    'the letter stays in Recon with your reason.',
  whenToChoose:
    'The message is poison (unparseable), obsolete, or its effect was reached another way. Not while the order it ' +
    'carries still waits for a courier.',
  target: (e) => `dead-letter:${e.deadLetterId}`,
  // The settle below is conditional on the letter still being stored: that is the premise, checked as it acts.
  premise: async () => holds(undefined),
  async effect({ evidence: { deadLetterId }, reason }, _facts, ports) {
    return (await ports.deadLetters.settle(deadLetterId, 'discarded', reason))
      ? done(`dead letter ${deadLetterId} discarded`)
      : superseded(`dead letter ${deadLetterId} is no longer stored`);
  },
});

function replayCountOf(headers: Record<string, unknown>): number {
  const value = Object.hasOwn(headers, REPLAY_COUNT_HEADER) ? headers[REPLAY_COUNT_HEADER] : 0;
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 0;
}

export const deadLetter = defineKind({
  kind: KIND,
  title: 'Dead letter',
  severity: 'warning',
  reads: 'dead-letters',
  detect,
  explain: (e: DeadLetterEvidence) =>
    `A message ${e.messageId ? `(${e.messageId}) ` : ''}was dead-lettered into ${e.queue} (reason ${e.reason}, ` +
    `${e.count} time(s))${e.orderId ? ` for order ${e.orderId}` : ''}; Recon holds it until it is redriven or discarded.`,
  cause: causeOf,
  recommend: recommendFor,
  example: {
    key: '7d1c0f7e-4a55-4b4e-9a51-0c7bb0c0f001',
    evidence: {
      deadLetterId: '7',
      messageId: '7d1c0f7e-4a55-4b4e-9a51-0c7bb0c0f001',
      orderId: '8c1f2a3b-0d4e-4f50-8a6b-7c8d9e0f1a2b',
      queue: 'dispatch.order-created.dlq',
      reason: 'rejected',
      count: 1,
      originExchange: 'orders',
      originRoutingKeys: ['order.created'],
      firstDeathQueue: 'dispatch.order-created',
      bodySize: 120,
      isParseable: true,
    },
  },
  subjects: (e) => ({ orderId: e.orderId, messageId: e.messageId }),
  repairs: { redrive, discard },
});
