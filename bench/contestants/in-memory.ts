import { baselineRules, connect, dispatchPages, orderPages } from './baseline-db.ts';

/**
 * The in-memory baseline: load every order id and every live dispatch's order id into Maps, then diff. Both sides
 * are read in keyset pages (not one giant result), so its peak is the Maps themselves, not the driver's buffers.
 */
export async function runInMemory() {
  const { cutoffMs, isLive } = baselineRules();
  const [orders, dispatch] = await Promise.all([connect('orders'), connect('dispatch')]);
  try {
    const startedAt = performance.now();
    /** order id → created_at (ms) */
    const orderCreatedAt = new Map<string, number>();
    /** order id → created_at (ms) of its oldest live dispatch */
    const oldestLiveDispatch = new Map<string, number>();
    let dispatchRows = 0;
    const loadOrders = async () => {
      for await (const page of orderPages(orders))
        for (const row of page) orderCreatedAt.set(row.id, row.created_at.getTime());
    };
    const loadDispatches = async () => {
      for await (const page of dispatchPages(dispatch)) {
        dispatchRows += page.length;
        for (const row of page) {
          if (!isLive(row.status)) continue;
          const at = row.created_at.getTime();
          const seen = oldestLiveDispatch.get(row.order_id);
          if (seen === undefined || at < seen) oldestLiveDispatch.set(row.order_id, at);
        }
      }
    };
    // The two databases are independent: read them at the same time, as anyone writing this would.
    await Promise.all([loadOrders(), loadDispatches()]);
    const missing: string[] = [];
    for (const [id, at] of orderCreatedAt) if (at <= cutoffMs && !oldestLiveDispatch.has(id)) missing.push(id);
    const orphans: string[] = [];
    for (const [id, at] of oldestLiveDispatch) if (at <= cutoffMs && !orderCreatedAt.has(id)) orphans.push(id);
    const seconds = (performance.now() - startedAt) / 1000;
    return {
      seconds,
      rowsCompared: orderCreatedAt.size + dispatchRows,
      found: { missing, orphans },
      details: { orders: orderCreatedAt.size, dispatchRows, liveOrderIds: oldestLiveDispatch.size },
    };
  } finally {
    await Promise.all([orders.end(), dispatch.end()]);
  }
}
