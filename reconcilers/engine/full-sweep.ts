import { compareKeysAs } from '../keys.ts';
import type { DispatchedOrderRow, OrderIdRow } from '../ports/business-db.ts';
import { type BusinessSide, type DatabaseEngineContext, judgeOrderIds } from './judge-orders.ts';
import { judgeReferences } from './judge-references.ts';

/**
 * Rows per page on each side of the merge join. The pages are what survives the garbage collector's young
 * generation while the sweep streams a million rows: larger pages save round trips but grow the process.
 */
const SWEEP_PAGE = 2_000;

export interface SweepReport {
  ordersScanned: number;
  dispatchGroupsScanned: number;
  suspects: number;
  /** Dispatch order references that cannot be order ids, reported apart. */
  malformedReferences: number;
  opened: number;
  resolved: number;
  complete: boolean;
}

/**
 * The full sweep, on a slower schedule than the incremental cycle: streams order ids and dispatched order ids in
 * Recon's key order and merge-joins them, so it finds what the incremental path cannot see (a dispatch row deleted
 * long after its order changed). Memory stays at two pages; only suspects are re-judged, with fresh lookups of both
 * sides, and then the open findings the merge join did not suspect. References that cannot be order ids come last in
 * the dispatch stream and are judged as such.
 */
export async function runFullSweep(ctx: DatabaseEngineContext, now: Date): Promise<SweepReport> {
  const report: SweepReport = {
    ordersScanned: 0,
    dispatchGroupsScanned: 0,
    suspects: 0,
    malformedReferences: 0,
    opened: 0,
    resolved: 0,
    complete: false,
  };
  const cutoff = now.getTime() - ctx.settings.graceMs;
  const sideFailed = (side: BusinessSide) => (error: Error) => {
    ctx.health.failure(side, error);
    throw error;
  };
  const outcome = (o: { opened: number; resolved: number }) => {
    report.opened += o.opened;
    report.resolved += o.resolved;
  };
  let suspects: string[] = [];
  let malformed: string[] = [];
  // What this sweep judged, so the open findings it did not can be judged at its end.
  const judged = { orderIds: new Set<string>(), references: new Set<string>() };
  const flush = async (force = false) => {
    if (suspects.length > 0 && (force || suspects.length >= ctx.pageSize)) {
      for (const id of suspects) judged.orderIds.add(id);
      outcome(await judgeOrderIds(ctx, now, suspects));
      report.suspects += suspects.length;
      suspects = [];
    }
    if (malformed.length > 0 && (force || malformed.length >= ctx.pageSize)) {
      for (const reference of malformed) judged.references.add(reference);
      outcome(await judgeReferences(ctx, now, malformed));
      report.malformedReferences += malformed.length;
      malformed = [];
    }
  };

  const orders = rows<OrderIdRow>(ctx.orders.orderIdsInKeyOrder(SWEEP_PAGE), sideFailed('orders'));
  const groups = rows<DispatchedOrderRow>(
    ctx.dispatch.dispatchedOrderIdsInKeyOrder(SWEEP_PAGE),
    sideFailed('dispatch'),
  );
  try {
    const kinds = [...ctx.orderKinds, ...ctx.referenceKinds].map((k) => k.kind);
    if (!kinds.every(ctx.findings.isLoaded)) await ctx.findings.load(kinds);
    const compare = compareKeysAs(await ctx.orders.keyFamily().catch(sideFailed('orders')));
    let order = await orders.next();
    let group = await groups.next();
    while (order || group) {
      if (group?.orderIdProblem) {
        // Last in the stream: no order id can follow that would match it.
        report.dispatchGroupsScanned += 1;
        if (group.liveCount > 0) malformed.push(group.orderId);
        group = await groups.next();
      } else if (order && (!group || compare(order.id, group.orderId) < 0)) {
        report.ordersScanned += 1;
        // No dispatch row at all: a suspect once it is old enough, unless it needs none.
        if (order.needsDispatch && order.createdAt.getTime() <= cutoff) suspects.push(order.id);
        order = await orders.next();
      } else if (group && (!order || compare(group.orderId, order.id) < 0)) {
        report.dispatchGroupsScanned += 1;
        if (group.liveCount > 0 && group.createdAt.getTime() <= cutoff) suspects.push(group.orderId); // no order
        group = await groups.next();
      } else if (order && group) {
        report.ordersScanned += 1;
        report.dispatchGroupsScanned += 1;
        if (group.liveCount > 1 || (group.liveCount === 0 && order.needsDispatch)) suspects.push(order.id);
        order = await orders.next();
        group = await groups.next();
      }
      await flush();
    }
    await flush(true);
    // The backstop: an open finding the merge join had no suspicion of (its row deleted, or fixed by hand) is judged
    // again now, with fresh lookups, instead of waiting for the cycle's re-check.
    const unjudged = (kinds: readonly { kind: string }[], seen: Set<string>) => [
      ...new Set(kinds.flatMap((k) => ctx.findings.openKeys(k.kind)).filter((key) => !seen.has(key))),
    ];
    for (const batch of batches(unjudged(ctx.orderKinds, judged.orderIds), ctx.pageSize))
      outcome(await judgeOrderIds(ctx, now, batch));
    for (const batch of batches(unjudged(ctx.referenceKinds, judged.references), ctx.pageSize))
      outcome(await judgeReferences(ctx, now, batch));
    report.complete = true;
  } catch {
    // A source failure is already reported against its side, a store failure made the writer forget what it knew;
    // an incomplete sweep simply runs again on its next schedule.
  } finally {
    // A stream read by a database cursor holds a connection until it is closed.
    await Promise.all([orders.close(), groups.close()]);
  }
  return report;
}

function batches<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

/** One row at a time from a stream of pages; a failed read goes to `onError` (which rethrows). */
function rows<T>(pages: AsyncIterable<T[]>, onError: (error: Error) => never) {
  const iterator = pages[Symbol.asyncIterator]();
  let page: T[] = [];
  let index = 0;
  let isDone = false;
  return {
    async next(): Promise<T | undefined> {
      while (index >= page.length) {
        if (isDone) return undefined;
        page = []; // the spent page is garbage before the next one arrives, not a survivor of its allocation
        const next = await iterator.next().catch(onError);
        if (next.done) {
          isDone = true;
          return undefined;
        }
        page = next.value;
        index = 0;
      }
      return page[index++];
    },
    async close() {
      if (!isDone) await iterator.return?.().catch(() => {});
    },
  };
}
