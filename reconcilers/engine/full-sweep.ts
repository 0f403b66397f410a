import { type BusinessSide, type DatabaseEngineContext, judgeOrderIds } from './judge-orders.ts';

/**
 * Rows per keyset page on each side of the merge join. The pages are what survives the garbage collector's young
 * generation while the sweep streams a million rows: larger pages save round trips but grow the process.
 */
const SWEEP_PAGE = 2_000;

export interface SweepReport {
  ordersScanned: number;
  dispatchGroupsScanned: number;
  suspects: number;
  opened: number;
  resolved: number;
  complete: boolean;
}

/**
 * The full sweep, on a slower schedule than the incremental cycle: streams order ids and dispatched order ids in
 * key order and merge-joins them, so it finds what the incremental path cannot see (a dispatch row deleted long
 * after its order changed). Memory stays at two pages; only suspects are re-judged, with fresh lookups of both sides.
 */
export async function runFullSweep(ctx: DatabaseEngineContext, now: Date): Promise<SweepReport> {
  const report: SweepReport = {
    ordersScanned: 0,
    dispatchGroupsScanned: 0,
    suspects: 0,
    opened: 0,
    resolved: 0,
    complete: false,
  };
  const cutoff = now.getTime() - ctx.settings.graceMs;
  const sideFailed = (side: BusinessSide) => (error: Error) => {
    ctx.health.failure(side, error);
    throw error;
  };
  const orders = pages(
    (after) => ctx.orders.pageOrderIds(after, SWEEP_PAGE).catch(sideFailed('orders')),
    (row) => row.id,
  );
  const groups = pages(
    (after) => ctx.dispatch.pageDispatchedOrderIds(after, SWEEP_PAGE).catch(sideFailed('dispatch')),
    (row) => row.orderId,
  );
  let suspects: string[] = [];
  const flush = async (force = false) => {
    if (suspects.length === 0 || (!force && suspects.length < ctx.pageSize)) return;
    const outcome = await judgeOrderIds(ctx, now, suspects);
    report.suspects += suspects.length;
    report.opened += outcome.opened;
    report.resolved += outcome.resolved;
    suspects = [];
  };

  try {
    const kinds = ctx.orderKinds.map((k) => k.kind);
    if (!kinds.every(ctx.findings.isLoaded)) await ctx.findings.load(kinds);
    let order = await orders.next();
    let group = await groups.next();
    while (order || group) {
      if (order && (!group || compareKeys(order.id, group.orderId) < 0)) {
        report.ordersScanned += 1;
        if (order.createdAt.getTime() <= cutoff) suspects.push(order.id); // no dispatch row at all
        order = await orders.next();
      } else if (group && (!order || compareKeys(group.orderId, order.id) < 0)) {
        report.dispatchGroupsScanned += 1;
        if (group.liveCount > 0 && group.createdAt.getTime() <= cutoff) suspects.push(group.orderId); // no order
        group = await groups.next();
      } else if (order && group) {
        report.ordersScanned += 1;
        report.dispatchGroupsScanned += 1;
        if (group.liveCount !== 1) suspects.push(order.id); // none live, or a duplicate
        order = await orders.next();
        group = await groups.next();
      }
      await flush();
    }
    await flush(true);
    report.complete = true;
  } catch {
    // A source failure is already reported against its side, a store failure made the writer forget what it knew;
    // an incomplete sweep simply runs again on its next schedule.
  }
  return report;
}

/**
 * The order both streams come in (each sorted by the id column's own type): lowercase uuid text sorts like
 * PostgreSQL's uuid, and integer ids compare by length first, so "9" < "10" as in a bigint column.
 */
export function compareKeys(a: string, b: string): number {
  if (INTEGER.test(a) && INTEGER.test(b) && a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
const INTEGER = /^\d+$/;

/** Iterates a keyset-paged stream one row at a time, fetching the next page when the current one runs out. */
function pages<T>(fetch: (after: string | null) => Promise<T[]>, keyOf: (row: T) => string) {
  let buffer: T[] = [];
  let index = 0;
  let after: string | null = null;
  let isExhausted = false;
  return {
    async next(): Promise<T | undefined> {
      if (index >= buffer.length) {
        if (isExhausted) return undefined;
        buffer = []; // the spent page is garbage before the next one arrives, not a survivor of its allocation
        buffer = await fetch(after);
        index = 0;
        if (buffer.length < SWEEP_PAGE) isExhausted = true;
        if (buffer.length === 0) return undefined;
        after = keyOf(buffer[buffer.length - 1]!);
      }
      return buffer[index++];
    },
  };
}
