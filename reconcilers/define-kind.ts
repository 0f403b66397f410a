import type { Repair } from './repair.ts';
import type { BrokerSnapshot } from './snapshots/broker-polls.ts';
import type { DeadLetterSnapshot } from './snapshots/dead-letters.ts';
import type { OrderDispatchSnapshot } from './snapshots/order-dispatch.ts';
import type { OrderReferencesSnapshot } from './snapshots/order-references.ts';
import type { OutboxSnapshot } from './snapshots/outbox.ts';
import type { ReplicationSlotsSnapshot } from './snapshots/replication-slots.ts';
import type { FindingSubjects, Judgement, Severity } from './vocabulary.ts';

// The one contract every finding kind fulfils: what it is called, what it reads, its pure rule, its typed evidence
// and its repairs, in one value. The engines take these values as arguments; the registry lists them all.

/** What the engines gather, by name: a kind says which one it reads, and so which engine judges it. */
export interface Snapshots {
  /** Both business databases for a batch of order ids (the incremental cycle and the full sweep). */
  'order-dispatch': OrderDispatchSnapshot;
  /** Dispatch order references that cannot be order ids (as the cycle and the sweep meet them, and re-checked). */
  'order-references': OrderReferencesSnapshot;
  /** The outbox rows not yet published (every incremental cycle). */
  outbox: OutboxSnapshot;
  /** The replication slots of a CDC outbox's database (every incremental cycle). */
  'replication-slots': ReplicationSlotsSnapshot;
  /** The recent broker polls (after each poll). */
  broker: BrokerSnapshot;
  /** Letters in Recon's custody (as they arrive, and when open findings are re-checked). */
  'dead-letters': DeadLetterSnapshot;
}
export type SnapshotName = keyof Snapshots;

/** Database entities younger than this are not judged: in flight is not orphaned. */
export interface GraceSettings {
  graceMs: number;
}

export interface BrokerSettings {
  /** Consecutive polls a channel or queue must look stuck before a finding opens. */
  stuckPolls: number;
  /** A latest poll older than this is stale: every broker verdict is `unknown`. */
  staleAfterMs: number;
}

/** What each snapshot's kinds are judged with, besides the snapshot and the clock. */
export interface Settings {
  'order-dispatch': GraceSettings;
  'order-references': Record<string, never>;
  outbox: GraceSettings;
  /** WAL a CDC connector may leave unconfirmed before its outbox counts as stuck. */
  'replication-slots': { maxLagBytes: number };
  broker: BrokerSettings;
  /** A dead letter is judged without a clock or a grace period: it is never "in flight". */
  'dead-letters': Record<string, never>;
}

/** What the evidence points to: one of the kind's repairs, or (`action` null) a step outside Recon; and why. */
export interface Advice<A extends string = string> {
  action: A | null;
  why: string;
}

export interface Reconciler<
  K extends string = string,
  R extends SnapshotName = SnapshotName,
  E = unknown,
  A extends string = string,
> {
  kind: K;
  /** A short name for people: page titles, cards. */
  title: string;
  severity: Severity;
  reads: R;
  /** Pure: the snapshot, the clock and the settings are its only inputs. */
  detect(snapshot: Snapshots[R], now: Date, settings: Settings[R]): Judgement<K, E>[];
  /** What is wrong, in a sentence an operator woken at night can act on. */
  explain(evidence: E, key: string): string;
  /**
   * The likely cause, reasoned from the evidence alone: Recon sees the databases and the broker, not the services'
   * logs, so it says what the facts point to ("no dispatch was ever created" vs "its dispatch was cancelled").
   */
  cause(evidence: E, key: string): string;
  /** What to do when the evidence supports one choice; null when it does not (each repair's `whenToChoose` decides). */
  recommend(evidence: E, key: string): Advice<NoInfer<A>> | null;
  /** Evidence as a mismatch of this kind carries it: the shape, shown by example (docs and tests use it). */
  example: { key: string; evidence: E };
  subjects(evidence: E, key: string): FindingSubjects;
  /** What an operator can do about it; none for a kind Recon can only watch. */
  repairs: Readonly<Record<A, Repair<E>>>;
}

/** Identity, for inference: the kind's name, snapshot, evidence and action names are read off the value. */
export const defineKind = <const K extends string, R extends SnapshotName, E, const A extends string = never>(
  reconciler: Reconciler<K, R, E, A>,
): Reconciler<K, R, E, A> => reconciler;

/** A kind whose snapshot is `R`, whatever its evidence and actions: what an engine takes. */
export type ReconcilerReading<R extends SnapshotName> = Reconciler<string, R, unknown, string>;
