import type { FindingsPort, WatermarkPort } from '../../reconcilers/ports/findings-store.ts';
import type { Finding, FindingKind } from '../../reconcilers/registry.ts';
import type { FindingState } from '../../reconcilers/vocabulary.ts';

/** Health of one source Recon reads (orders, dispatch, rabbitmq, recon). Error texts are masked of secrets. */
export interface SourceHealth {
  source: string;
  up: boolean;
  lastSuccessAt: Date | null;
  lastAttemptAt: Date | null;
  lastError: string | null;
}

export interface FindingQuery {
  kind?: FindingKind;
  state: FindingState | 'all';
  /** Matches the key, or an order id / message id anywhere in the evidence. */
  q?: string;
  limit: number;
  /** Opaque, from a previous page's `nextCursor`. */
  cursor?: string;
}

export interface FindingPage {
  items: Finding[];
  nextCursor: string | null;
}

export interface OpenSummary {
  kind: FindingKind;
  open: number;
  oldestFirstSeenAt: Date | null;
}

export interface HistoryPoint {
  at: Date;
  kind: FindingKind;
  open: number;
}

/**
 * Recon's own database: findings, source health, watermarks. Every replica reads it; only the leader writes (the
 * engines write findings through reconcilers/engine/findings-writer.ts, which decides what changes them).
 */
export interface ReconStore extends FindingsPort, WatermarkPort {
  recordSourceHealth(health: SourceHealth): Promise<void>;
  listSourceHealth(): Promise<SourceHealth[]>;
  listFindings(query: FindingQuery): Promise<FindingPage>;
  getFinding(id: string): Promise<Finding | undefined>;
  /** Every finding (open or resolved) about this order: its key, or the order it names. */
  findingsForOrder(orderId: string): Promise<Finding[]>;
  openSummary(): Promise<OpenSummary[]>;
  /** Open findings per kind at `bucketSeconds` steps from `since` to now (from first_seen_at / resolved_at). */
  history(since: Date, bucketSeconds: number): Promise<HistoryPoint[]>;
}
