import type { Reconciler, ReconcilerReading, SnapshotName } from './define-kind.ts';
import { deadLetter } from './kinds/dead-letter.ts';
import { dispatchWithoutOrder } from './kinds/dispatch-without-order.ts';
import { duplicateDispatch } from './kinds/duplicate-dispatch.ts';
import { malformedOrderReference } from './kinds/malformed-order-reference.ts';
import { orderWithoutDispatch } from './kinds/order-without-dispatch.ts';
import { outboxSlotLag } from './kinds/outbox-slot-lag.ts';
import { stuckOutbox } from './kinds/stuck-outbox.ts';
import { unackedStuck } from './kinds/unacked-stuck.ts';
import { unconfirmedPublishes } from './kinds/unconfirmed-publishes.ts';
import type { Capability, Repair } from './repair.ts';
import type { FindingState, FindingSubjects, Severity, Verdict } from './vocabulary.ts';

/**
 * Every finding kind Recon knows, in the order it lists them (metrics, the overview, the UI). Adding a kind is one
 * file in kinds/ and one line here; the names, the evidence types and the actions below follow from this list.
 */
export const KINDS = [
  orderWithoutDispatch,
  dispatchWithoutOrder,
  stuckOutbox,
  outboxSlotLag,
  duplicateDispatch,
  unconfirmedPublishes,
  unackedStuck,
  deadLetter,
  malformedOrderReference,
] as const;

type AnyKind = (typeof KINDS)[number];
export type FindingKind = AnyKind['kind'];
type KindNamed<K extends FindingKind> = Extract<AnyKind, { kind: K }>;
export type EvidenceOf<K extends FindingKind> = KindNamed<K> extends Reconciler<K, SnapshotName, infer E> ? E : never;
export type ActionsOf<K extends FindingKind> = keyof KindNamed<K>['repairs'] & string;
export type ActionName = { [K in FindingKind]: ActionsOf<K> }[FindingKind];

export const FINDING_KINDS = KINDS.map((k) => k.kind) as [FindingKind, ...FindingKind[]];
export const ACTION_NAMES = [...new Set(KINDS.flatMap((k) => Object.keys(k.repairs)))] as [ActionName, ...ActionName[]];

/** One finding as Recon stores it, its evidence typed by its kind. */
export type Finding = {
  [K in FindingKind]: {
    /** Stable across cycles: `${kind}:${key}`. */
    id: string;
    kind: K;
    key: string;
    severity: Severity;
    verdict: Verdict;
    state: FindingState;
    firstSeenAt: Date;
    lastSeenAt: Date;
    resolvedAt: Date | null;
    evidence: EvidenceOf<K>;
    /** The order and message it is about, as its kind named them from the evidence. */
    subjects: FindingSubjects;
    actions: ActionsOf<K>[];
  };
}[FindingKind];

const BY_NAME = new Map<string, Reconciler>(KINDS.map((k) => [k.kind, k as Reconciler]));

export const isFindingKind = (name: string): name is FindingKind => BY_NAME.has(name);

/** The kind's value; undefined for a name this version does not know (a row an older version wrote). */
export const kindNamed = (name: string): Reconciler | undefined => BY_NAME.get(name);

/** The kinds an engine judges: those that read its snapshot. */
export const kindsReading = <R extends SnapshotName>(snapshot: R): ReconcilerReading<R>[] =>
  KINDS.filter((k) => k.reads === snapshot) as unknown as ReconcilerReading<R>[];

/** The repair of `action` on a finding of `kind`, or undefined when that action does not apply to it. */
export function repairOf(kind: string, action: string): Repair<unknown> | undefined {
  const repairs = BY_NAME.get(kind)?.repairs;
  return repairs && Object.hasOwn(repairs, action) ? repairs[action] : undefined;
}

/**
 * Words about a stored finding, for people: a kind's `explain` or a repair's `describe`. Evidence an older version
 * of Recon wrote may lack a field this one reads; the page then shows the fallback rather than fail.
 */
export function inWords(words: () => string, fallback: string): string {
  try {
    return words();
  } catch {
    return fallback;
  }
}

/** Every capability a repair can need: what a configuration that provides everything (the reference system's) offers. */
export const ALL_CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>([
  'message-body',
  'order-snapshot',
  'outbox-republish',
  'dispatch-status',
]);

/**
 * The actions an operator may take on a finding of this kind, in the kind's order: those whose needs the watched
 * system's configuration meets (make-up-order is not offered where nothing says how to make an order up).
 */
export const actionsOf = (kind: string, capabilities: ReadonlySet<Capability> = ALL_CAPABILITIES): string[] =>
  Object.entries(BY_NAME.get(kind)?.repairs ?? {})
    .filter(([, repair]) => (repair.requires ?? []).every((need) => capabilities.has(need)))
    .map(([action]) => action);
