// The business databases as the engines read them (the adapters map table and column names). No driver here.

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
