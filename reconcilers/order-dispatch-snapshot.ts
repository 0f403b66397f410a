import type { DispatchPort, DispatchRow, FindingKind, Judgement, OrderRow, OrdersPort } from './types.ts';

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

/** A reconciler judged per order id over the shared snapshot of both databases. */
export interface OrderScopedReconciler {
  kind: FindingKind;
  scope: 'order';
  /** Pure: the snapshot, the clock and the grace period are its only inputs. */
  detect(snapshot: OrderDispatchSnapshot, now: Date, graceMs: number): Judgement[];
}

export interface SideFailure {
  side: 'orders' | 'dispatch';
  error: Error;
}

/** Looks up both sides of these order ids: one `= ANY($1)` query per side, never one per row. */
export async function gatherOrderDispatch(
  ports: { orders: OrdersPort; dispatch: DispatchPort },
  orderIds: readonly string[],
  onFailure: (failure: SideFailure) => void,
): Promise<OrderDispatchSnapshot> {
  const [orders, dispatches] = await Promise.all([
    ports.orders.findOrders(orderIds).then(
      (rows) => new Map(rows.map((row) => [row.id, row])),
      (error: Error) => void onFailure({ side: 'orders', error }),
    ),
    ports.dispatch.findDispatchesByOrderIds(orderIds).then(
      (rows) => groupBy(rows, (row) => row.orderId),
      (error: Error) => void onFailure({ side: 'dispatch', error }),
    ),
  ]);
  return { orderIds, orders: orders ?? undefined, dispatches: dispatches ?? undefined };
}

export function liveDispatches(snapshot: OrderDispatchSnapshot, orderId: string): readonly DispatchRow[] {
  return (snapshot.dispatches?.get(orderId) ?? []).filter((d) => d.isLive);
}

function groupBy<T>(rows: readonly T[], keyOf: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}
