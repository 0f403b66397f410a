import type { DispatchRow, OrderRow } from '../ports/business-db.ts';

/**
 * Both sides of a set of order ids, read in batches. A side that could not be read is `undefined`, which makes
 * every verdict that needs it `unknown`.
 */
export interface OrderDispatchSnapshot {
  orderIds: readonly string[];
  orders: ReadonlyMap<string, OrderRow> | undefined;
  /** Every dispatch row (live or cancelled) per order id. */
  dispatches: ReadonlyMap<string, readonly DispatchRow[]> | undefined;
}

export function liveDispatches(snapshot: OrderDispatchSnapshot, orderId: string): readonly DispatchRow[] {
  return (snapshot.dispatches?.get(orderId) ?? []).filter((d) => d.isLive);
}

/** A dispatch as evidence shows it: the row's facts, dates as ISO text. */
export interface DispatchEvidence {
  id: string;
  messageId: string | null;
  status: string | null;
  createdAt: string;
}

export const toDispatchEvidence = (d: DispatchRow): DispatchEvidence => ({
  id: d.id,
  messageId: d.messageId,
  status: d.status,
  createdAt: d.createdAt.toISOString(),
});
