import type { FindingKind } from '../../reconcilers/types.ts';

/**
 * What an operator can do about each kind of finding (DESIGN.md, Findings). The two broker-side kinds only
 * watch: Recon cannot confirm a publish or ack a delivery on another process's channel.
 */
export const FINDING_ACTIONS = {
  'order-without-dispatch': ['redeliver'],
  'dispatch-without-order': ['make-up-order', 'cancel-dispatch'],
  'stuck-outbox': ['republish'],
  'duplicate-dispatch': ['cancel-dispatch'],
  'unconfirmed-publishes': [],
  'unacked-stuck': [],
  'dead-letter': ['redrive', 'discard'],
} as const satisfies Record<FindingKind, readonly string[]>;

export type FindingAction = (typeof FINDING_ACTIONS)[FindingKind][number];

/**
 * A fresh array each call: a Finding's `actions` is mutable and must not alias the table above. A row of a kind
 * this version no longer knows (written by an older one) gets no actions rather than failing the whole listing.
 */
export const actionsFor = (kind: FindingKind): FindingAction[] => [...(FINDING_ACTIONS[kind] ?? [])];
