import type { KeyFamily } from '../keys.ts';

// One order's history across both business databases, as the timeline view reads it: each row's mapped facts,
// typed (the events are made from these), and its columns whole (shown as they are). The adapter maps the
// configured tables and columns onto these; nothing here is guessed from a column's name.

export interface OrderHistoryOrder {
  id: string;
  status: string | null;
  createdAt: Date | null;
  updatedAt: Date | null;
  columns: Record<string, unknown>;
}

export interface OrderHistoryOutboxRow {
  messageId: string | null;
  eventType: string | null;
  createdAt: Date | null;
  publishedAt: Date | null;
  confirmedAt: Date | null;
  attempts: number | null;
  columns: Record<string, unknown>;
}

export interface OrderHistoryDispatch {
  id: string;
  messageId: string | null;
  status: string | null;
  /** Who rides for it, when the configuration names such a column. */
  courier: string | null;
  createdAt: Date | null;
  updatedAt: Date | null;
  /** Its status is one of the flow's cancelled statuses: the dispatch no longer counts. */
  isCancelled?: boolean;
  columns: Record<string, unknown>;
}

/** The consumer's record that it processed a message (its inbox), when the flow has one. */
export interface OrderHistoryInboxRecord {
  messageId: string;
  /** Null when the inbox table keeps no time (or the configuration names none). */
  processedAt: Date | null;
  columns: Record<string, unknown>;
}

export interface OrderHistory {
  /** Null when the orders database has no such order (a dispatch without order looks exactly like this). */
  order: OrderHistoryOrder | null;
  outbox: OrderHistoryOutboxRow[];
  dispatches: OrderHistoryDispatch[];
}

/** Names the databases that could not be read, so the view says "unknown", never "absent". */
export interface OrderHistoryUnavailable {
  unavailable: Array<'orders' | 'dispatch'>;
}

export interface TimelinePort {
  /** What the order ids are, so a typed id is read in canonical form (and refused when it cannot be one). */
  keyFamily(): Promise<KeyFamily>;
  orderHistory(orderId: string): Promise<OrderHistory | OrderHistoryUnavailable>;
  /**
   * The inbox records of these messages (the order's outbox, dispatch, dead-letter and Recon's own message ids);
   * absent when the flow has no inbox. Rejects when the inbox cannot be read.
   */
  inboxRecords?(messageIds: readonly string[]): Promise<OrderHistoryInboxRecord[]>;
}
