// The domain's vocabulary: findings, verdicts and the ports reconcilers read through. No driver is imported here.

export const FINDING_KINDS = [
  'order-without-dispatch',
  'dispatch-without-order',
  'stuck-outbox',
  'duplicate-dispatch',
  'unconfirmed-publishes',
  'unacked-stuck',
  'dead-letter',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** Three-valued: a side that could not be read fresh makes a verdict `unknown`, which neither opens nor resolves. */
export type Verdict = 'mismatch' | 'ok' | 'unknown';
export type Severity = 'critical' | 'warning' | 'info';
export type FindingState = 'open' | 'resolved';

/** What a reconciler concluded about one key in one cycle. */
export interface Judgement {
  kind: FindingKind;
  /** The business key: an order id, or an outbox message id for stuck-outbox. */
  key: string;
  verdict: Verdict;
  severity: Severity;
  /** Facts behind a mismatch, shown to operators as text. */
  evidence?: Record<string, unknown>;
}

export interface Finding {
  /** Stable across cycles: `${kind}:${key}`. */
  id: string;
  kind: FindingKind;
  key: string;
  severity: Severity;
  verdict: Verdict;
  state: FindingState;
  firstSeenAt: Date;
  lastSeenAt: Date;
  resolvedAt: Date | null;
  evidence: Record<string, unknown>;
  actions: string[];
}

export const findingId = (kind: FindingKind, key: string) => `${kind}:${key}`;

export interface OrderRow {
  id: string;
  /** Exact `updatedAt` as the database printed it, for keyset paging. */
  position: string;
  status: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface DispatchRow {
  id: string;
  /** Exact `updatedAt` as the database printed it, for keyset paging. */
  position: string;
  orderId: string;
  messageId: string | null;
  status: string | null;
  /** False for a cancelled dispatch: only live ones count as the order's dispatch. */
  isLive: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface OutboxRow {
  id: string;
  messageId: string;
  aggregateId: string;
  eventType: string;
  createdAt: Date;
  publishedAt: Date | null;
  confirmedAt: Date | null;
  attempts: number;
  lastError: string | null;
}

/**
 * Keyset position in a stream ordered by (updatedAt, id). `after` is the exact database timestamp text: a JS Date
 * keeps milliseconds only, and a cursor rounded down would re-read the same page for ever.
 */
export interface Cursor {
  after: string;
  id: string | null;
}

/** The order service's database, as Recon reads it (adapters map table and column names). */
export interface OrdersPort {
  /** Rows with updatedAt in (after, until], ordered by (updatedAt, id), at most `limit`. */
  pageChangedOrders(after: Cursor, until: Date, limit: number): Promise<OrderRow[]>;
  findOrders(ids: readonly string[]): Promise<OrderRow[]>;
  /** Outbox rows not confirmed and created at or before `createdBefore` (a small set: in flight plus stuck). */
  listUnconfirmedOutbox(createdBefore: Date, limit: number): Promise<OutboxRow[]>;
  findOutboxByMessageIds(messageIds: readonly string[]): Promise<OutboxRow[]>;
  /** Order ids in key order after `afterId`, for the full sweep's merge join. */
  pageOrderIds(afterId: string | null, limit: number): Promise<Array<{ id: string; createdAt: Date }>>;
}

export interface DispatchPort {
  pageChangedDispatches(after: Cursor, until: Date, limit: number): Promise<DispatchRow[]>;
  findDispatchesByOrderIds(orderIds: readonly string[]): Promise<DispatchRow[]>;
  /** Per order id in key order after `afterId`: how many live dispatches it has, for the full sweep. */
  pageDispatchedOrderIds(
    afterId: string | null,
    limit: number,
  ): Promise<Array<{ orderId: string; liveCount: number; createdAt: Date }>>;
}
