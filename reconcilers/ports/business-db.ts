import type { KeyFamily } from '../keys.ts';
import type { SlotState } from '../snapshots/replication-slots.ts';

// The business databases as the engines read them (the adapters map the configured tables and columns onto these,
// keys in their canonical text, times as instants). No driver here.

export interface OrderRow {
  id: string;
  /** Exact change time (updatedAt, or createdAt without one) as the database printed it, for keyset paging. */
  position: string;
  status: string | null;
  /** False for an order that needs no dispatch (cancelled, picked up: the configured `needsDispatch`). */
  needsDispatch: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface DispatchRow {
  id: string;
  /** Exact change time (updatedAt, or createdAt without one) as the database printed it, for keyset paging. */
  position: string;
  /** The order it references: a canonical key, or the stored text when `orderIdProblem` says it cannot be one. */
  orderId: string;
  /** Why the reference cannot be an order id ('TEST-1' where orders are numbered), or null: such rows are reported. */
  orderIdProblem: string | null;
  messageId: string | null;
  status: string | null;
  /** False for a cancelled dispatch: only live ones count as the order's dispatch. */
  isLive: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** An outbox row not yet published, as every outbox preset reads it. */
export interface OutboxRow {
  messageId: string;
  /** The order it is about; null when the row does not say (its JSON lacks the configured path). */
  orderId: string | null;
  eventType: string | null;
  createdAt: Date;
  /** A delayed publish's due time: its grace period counts from here, not from createdAt. */
  delayedUntil: Date | null;
  publishedAt: Date | null;
  attempts: number | null;
  lastError: string | null;
  /** The library gave up on it (a FAILED status): stuck at once, not after the grace period. */
  hasFailed: boolean;
}

/**
 * Keyset position in a stream ordered by (change time, id). `after` is the exact database timestamp text: a JS
 * Date keeps milliseconds only, and a cursor rounded down would re-read the same page for ever.
 */
export interface Cursor {
  after: string;
  id: string | null;
}

/** A page of the full sweep's stream: the orders' side. */
export interface OrderIdRow {
  id: string;
  createdAt: Date;
  needsDispatch: boolean;
}

/** A page of the full sweep's stream: the dispatches' side, one row per order reference. */
export interface DispatchedOrderRow {
  orderId: string;
  orderIdProblem: string | null;
  liveCount: number;
  createdAt: Date;
}

/** The order service's database, as Recon reads it. */
export interface OrdersPort {
  /** What the order ids are: their canonical text and key order follow from it. */
  keyFamily(): Promise<KeyFamily>;
  /** Rows changed in (after, until], ordered by (change time, id), at most `limit`. */
  pageChangedOrders(after: Cursor, until: Date, limit: number): Promise<OrderRow[]>;
  findOrders(ids: readonly string[]): Promise<OrderRow[]>;
  /** Every order id in key order, page by page, for the full sweep's merge join. */
  orderIdsInKeyOrder(pageSize: number): AsyncIterable<OrderIdRow[]>;
}

export interface DispatchPort {
  pageChangedDispatches(after: Cursor, until: Date, limit: number): Promise<DispatchRow[]>;
  findDispatchesByOrderIds(orderIds: readonly string[]): Promise<DispatchRow[]>;
  /** The dispatches whose order reference is exactly one of these texts (malformed ones, re-checked). */
  findDispatchesByReferences(references: readonly string[]): Promise<DispatchRow[]>;
  /** Per order reference in key order (references that cannot be keys last): its live dispatches. */
  dispatchedOrderIdsInKeyOrder(pageSize: number): AsyncIterable<DispatchedOrderRow[]>;
}

/** The outbox, whatever library writes it: the rows not yet published, read through the preset's rule. */
export interface OutboxPort {
  /** Rows not yet published, written at or before `createdBefore`, oldest first (a small set: in flight plus stuck). */
  listUnpublished(createdBefore: Date, limit: number): Promise<OutboxRow[]>;
  /** These message ids' rows, if they are still not published. */
  findUnpublished(messageIds: readonly string[]): Promise<OutboxRow[]>;
}

/** A CDC outbox's database: its replication slots (Debezium's outbox has no rows to look at). */
export interface ReplicationSlotPort {
  readSlots(): Promise<SlotState[]>;
}
