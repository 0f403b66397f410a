import type { OpenFinding } from '../../reconcilers/open-findings.ts';
import type { Finding, FindingKind, FindingState, Judgement } from '../../reconcilers/types.ts';

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

/** Recon's own database: findings, source health, watermarks. Every replica reads it; only the leader writes. */
export interface ReconStore {
  /**
   * Opens mismatches, resolves `ok`s that are open, ignores `unknown`. An open finding's row is rewritten only when its
   * evidence or severity changed, or its lastSeenAt is over a minute old (so lastSeenAt may lag by up to a minute).
   */
  applyJudgements(judgements: readonly Judgement[], now: Date): Promise<{ opened: number; resolved: number }>;
  /** Keys of open findings of one kind, in pages (the cycle re-checks each of them). */
  openFindingKeys(kind: FindingKind, afterKey: string | null, limit: number): Promise<string[]>;
  /** The same pages with each finding's severity, evidence and lastSeenAt (the incremental cycle compares them). */
  openFindings(kind: FindingKind, afterKey: string | null, limit: number): Promise<OpenFinding[]>;
  getWatermark(stream: string): Promise<Date | null>;
  setWatermark(stream: string, at: Date): Promise<void>;
  recordSourceHealth(health: SourceHealth): Promise<void>;
  listSourceHealth(): Promise<SourceHealth[]>;
  listFindings(query: FindingQuery): Promise<FindingPage>;
  getFinding(id: string): Promise<Finding | undefined>;
  /** Every finding (open or resolved) whose key or evidence names this order id. */
  findingsForOrder(orderId: string): Promise<Finding[]>;
  openSummary(): Promise<OpenSummary[]>;
  /** Open findings per kind at `bucketSeconds` steps from `since` to now (from first_seen_at / resolved_at). */
  history(since: Date, bucketSeconds: number): Promise<HistoryPoint[]>;
}
