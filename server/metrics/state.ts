import type { FindingKind } from '../../reconcilers/registry.ts';
import type { OpenSummary, SourceHealth } from '../store/types.ts';

// What /metrics reports, held in memory. The scheduler and the consumers write it after each cycle or poll;
// a scrape only reads it, so Prometheus scraping fast can never add load to the sources (DESIGN: Metrics).

export type QueueMessageState = 'ready' | 'unacked';

export interface DeadLetterCount {
  queue: string;
  /** The `x-death` reason: rejected, expired, maxlen, delivery_limit. A small fixed set, so a safe label. */
  reason: string;
  count: number;
}

export interface QueueMessageCount {
  /** A watched queue: configuration names them, so the label set stays bounded. */
  queue: string;
  state: QueueMessageState;
  count: number;
}

export interface MetricsState {
  /** The scrape's clock: ages are computed at scrape time so they keep growing between cycles. */
  now(): Date;
  findings: Map<FindingKind, Omit<OpenSummary, 'kind'>>;
  sources: SourceHealth[];
  deadLetters: DeadLetterCount[];
  queueMessages: QueueMessageCount[];
  /** Creation time of the oldest unconfirmed outbox row, or null when none is pending (or never read). */
  outboxOldestPendingAt: Date | null;
}

export function createMetricsState(now: () => Date = () => new Date()): MetricsState {
  return { now, findings: new Map(), sources: [], deadLetters: [], queueMessages: [], outboxOldestPendingAt: null };
}

/** Replaces the per-kind counts with a fresh `openSummary()`: kinds missing from it have no open finding. */
export function setOpenSummary(state: MetricsState, summary: readonly OpenSummary[]): void {
  state.findings = new Map(summary.map(({ kind, ...rest }) => [kind, rest]));
}

/** Replaces one source's health entry, keeping the others. */
export function setSourceHealth(state: MetricsState, health: SourceHealth): void {
  state.sources = [...state.sources.filter((s) => s.source !== health.source), health];
}

/** Fractional seconds; a negative age (clock skew between Recon and a database host) is reported as zero. */
export function ageSeconds(since: Date, now: Date): number {
  return Math.max(0, (now.getTime() - since.getTime()) / 1000);
}
