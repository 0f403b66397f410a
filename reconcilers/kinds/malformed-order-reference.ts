import { type Advice, defineKind } from '../define-kind.ts';
import type { OrderReferencesSnapshot } from '../snapshots/order-references.ts';
import { type Judgement, judgementsOf } from '../vocabulary.ts';

const KIND = 'malformed-order-reference';
/** Evidence names at most this many of the dispatches that hold the reference. */
const MAX_DISPATCH_IDS = 20;

export interface MalformedOrderReferenceEvidence {
  /** The reference as the dispatch table holds it. */
  reference: string;
  /** Why it cannot be an order id. */
  problem: string;
  liveDispatches: number;
  dispatchIds: string[];
}

const judge = judgementsOf<typeof KIND, MalformedOrderReferenceEvidence>(KIND, 'warning');

/**
 * Live dispatches whose order reference cannot be an order id at all ('TEST-1' where orders are numbered, '011'
 * for order 11): they belong to no order, so no other check can judge them, and they must not be taken for
 * dispatches of a missing order either. Reported once per reference, so one bad row never blinds a whole check.
 * Keyed by the reference.
 */
function detect(snapshot: OrderReferencesSnapshot) {
  if (!snapshot.references) return snapshot.lookedUp.map(judge.unknown);
  const judgements: Judgement<typeof KIND, MalformedOrderReferenceEvidence>[] = [];
  const present = new Set<string>();
  for (const { reference, problem, dispatches } of snapshot.references) {
    const live = dispatches.filter((d) => d.isLive);
    if (live.length === 0) continue;
    present.add(reference);
    const dispatchIds = live.slice(0, MAX_DISPATCH_IDS).map((d) => d.id);
    judgements.push(judge.mismatch(reference, { reference, problem, liveDispatches: live.length, dispatchIds }));
  }
  for (const reference of snapshot.lookedUp) if (!present.has(reference)) judgements.push(judge.ok(reference));
  return judgements;
}

export const malformedOrderReference = defineKind({
  kind: KIND,
  title: 'Malformed order reference',
  severity: 'warning',
  reads: 'order-references',
  detect,
  explain: (e: MalformedOrderReferenceEvidence) =>
    `${e.liveDispatches} live dispatch(es) reference order "${e.reference}", which cannot be an order id (${e.problem}): ` +
    'no order can ever match them, so fix the reference or cancel them.',
  cause: causeOf,
  recommend: recommendFor,
  example: {
    key: 'TEST-1',
    evidence: {
      reference: 'TEST-1',
      problem: 'it is not an integer written in decimal without leading zeros',
      liveDispatches: 1,
      dispatchIds: ['977'],
    },
  },
  subjects: () => ({ orderId: null, messageId: null }),
  repairs: {},
});

function causeOf(e: MalformedOrderReferenceEvidence): string {
  return (
    `A dispatch was written with a reference that is not an order id (${e.problem}): by hand, by a test, or by a ` +
    'producer that sends another id format.'
  );
}

function recommendFor(_e: MalformedOrderReferenceEvidence): Advice<never> {
  return {
    action: null,
    why:
      'Fix the reference or cancel the dispatch in the dispatch database by hand; Recon acts only on references ' +
      'that are order ids.',
  };
}
