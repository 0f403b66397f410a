import { createCycleJudge, type OpenFindings } from './cycle-judging.ts';
import type { JudgeContext } from './judge.ts';
import { ORDER_SCOPED_RECONCILERS } from './registry.ts';
import { stuckOutbox } from './stuck-outbox.ts';
import type { Cursor, DispatchRow, FindingKind, Judgement, OrderRow } from './types.ts';

/** What one incremental cycle did, for logs, metrics and tests. */
export interface CycleReport {
  startedAt: Date;
  rowsRead: { orders: number; dispatches: number; outbox: number };
  candidates: number;
  opened: number;
  resolved: number;
  unknown: number;
  fresh: { orders: boolean; dispatch: boolean };
  /** Age of the oldest unconfirmed outbox row (in flight or stuck); null when there is none or it was not read. */
  outboxOldestPendingAgeSeconds: number | null;
}

/**
 * One incremental cycle. Reads only rows changed since each side's watermark minus the overlap window (rows
 * stamped early but committed late are not missed), up to `now - grace` on both sides so the comparison window is
 * closed, in keyset pages; judges each page's order ids against fresh lookups of both databases; re-checks every
 * open finding; advances a watermark only when its side was read completely. The two sides and the re-check run
 * concurrently (see createCycleJudge for why that is safe).
 */
export async function runIncrementalCycle(ctx: JudgeContext): Promise<CycleReport> {
  const { now, graceMs, store } = ctx;
  const until = new Date(now.getTime() - graceMs);
  const report: CycleReport = {
    startedAt: now,
    rowsRead: { orders: 0, dispatches: 0, outbox: 0 },
    candidates: 0,
    opened: 0,
    resolved: 0,
    unknown: 0,
    fresh: { orders: true, dispatch: true },
    outboxOldestPendingAgeSeconds: null,
  };
  const [open, ordersWatermark, dispatchWatermark] = await Promise.all([
    openOrderFindings(ctx),
    store.getWatermark('orders'),
    store.getWatermark('dispatches'),
  ]);
  // The order ids to re-check. One judged from a changed row (its lookup comes after the change was read) needs no
  // second lookup: the re-check starts once each side's first page is read, and takes its batches as it goes.
  const recheck = new Set([...open.values()].flatMap((keys) => [...keys]));
  const judgeBatch = createCycleJudge(ctx, open);
  const judge = (orderIds: readonly string[], knownOrders?: OrderRow[], newDispatches?: DispatchRow[]) => {
    for (const id of orderIds) recheck.delete(id);
    return judgeBatch(orderIds, knownOrders, newDispatches).then((outcome) => {
      report.candidates += orderIds.length;
      report.opened += outcome.opened;
      report.resolved += outcome.resolved;
      report.unknown += outcome.unknown;
      if (!outcome.fresh.orders) report.fresh.orders = false;
      if (!outcome.fresh.dispatch) report.fresh.dispatch = false;
    });
  };
  const firstPages = { orders: signal(), dispatches: signal() };

  const [ordersDone, dispatchDone] = await allSettled([
    readChanged<OrderRow>(
      'orders',
      ctx,
      ordersWatermark,
      until,
      (c, u, l) => ctx.orders.pageChangedOrders(c, u, l),
      async (rows) => {
        report.rowsRead.orders += rows.length;
        const judged = judge(
          rows.map((r) => r.id),
          rows,
        );
        firstPages.orders.resolve();
        await judged;
      },
    ).finally(firstPages.orders.resolve),
    readChanged<DispatchRow>(
      'dispatches',
      ctx,
      dispatchWatermark,
      until,
      (c, u, l) => ctx.dispatch.pageChangedDispatches(c, u, l),
      async (rows) => {
        report.rowsRead.dispatches += rows.length;
        // Only dispatches past the old watermark are new; the overlap re-reads the rest and must not count them twice.
        const isNew = (d: DispatchRow) => !dispatchWatermark || d.createdAt > dispatchWatermark;
        const judged = judge(unique(rows.map((r) => r.orderId)), undefined, rows.filter(isNew));
        firstPages.dispatches.resolve();
        await judged;
      },
    ).finally(firstPages.dispatches.resolve),
    (async () => {
      await Promise.all([firstPages.orders.promise, firstPages.dispatches.promise]);
      while (recheck.size > 0) await judge(take(recheck, ctx.pageSize));
    })(),
    checkOutbox(ctx, report),
  ]);
  if (!ordersDone) report.fresh.orders = false;
  if (!dispatchDone) report.fresh.dispatch = false;

  // A side read completely moves its watermark to the closed upper bound; a failed side reads the same span again.
  await Promise.all([
    ordersDone && report.fresh.orders && store.setWatermark('orders', until),
    dispatchDone && report.fresh.dispatch && store.setWatermark('dispatches', until),
  ]);
  return report;
}

/**
 * The open order-scoped findings, every kind read at once. Held for the cycle (a set of keys, where the cycle used
 * to page through them): open findings stay few, and knowing them spares the store the oks that change nothing.
 */
async function openOrderFindings(ctx: JudgeContext): Promise<OpenFindings> {
  const open: OpenFindings = new Map();
  await Promise.all(
    ORDER_SCOPED_RECONCILERS.map(({ kind }) => {
      const keys = new Set<string>();
      open.set(kind, keys);
      return forEachOpenKeyPage(ctx, kind, async (page) => {
        for (const key of page) keys.add(key);
      });
    }),
  );
  return open;
}

async function readChanged<T extends { position: string; id: string }>(
  stream: string,
  ctx: JudgeContext,
  watermark: Date | null,
  until: Date,
  page: (after: Cursor, until: Date, limit: number) => Promise<T[]>,
  onPage: (rows: T[]) => Promise<void>,
): Promise<boolean> {
  const fetch = (after: Cursor) => {
    const rows = page(after, until, ctx.pageSize);
    rows.catch(() => {}); // awaited below, after the page before it is judged: not an unhandled rejection meanwhile
    return rows;
  };
  let next = fetch({ after: new Date((watermark?.getTime() ?? 0) - ctx.overlapMs).toISOString(), id: null });
  try {
    for (;;) {
      const rows = await next;
      const isLast = rows.length < ctx.pageSize;
      // The next page is read while this one is judged.
      if (!isLast) next = fetch({ after: rows[rows.length - 1]!.position, id: rows[rows.length - 1]!.id });
      if (rows.length > 0) await onPage(rows);
      if (isLast) return true;
    }
  } catch (error) {
    ctx.reportFailure(stream === 'orders' ? 'orders' : 'dispatch', error as Error);
    return false;
  }
}

async function forEachOpenKeyPage(ctx: JudgeContext, kind: FindingKind, fn: (keys: string[]) => Promise<void>) {
  let after: string | null = null;
  for (;;) {
    const keys = await ctx.store.openFindingKeys(kind, after, ctx.pageSize);
    if (keys.length > 0) await fn(keys);
    if (keys.length < ctx.pageSize) return;
    after = keys[keys.length - 1]!;
  }
}

async function checkOutbox(ctx: JudgeContext, report: CycleReport) {
  const openKeys: string[] = [];
  await forEachOpenKeyPage(ctx, stuckOutbox.kind, async (keys) => void openKeys.push(...keys));
  let judgements: Judgement[];
  try {
    const snapshot = await stuckOutbox.gather(ctx.orders, openKeys, ctx.now);
    ctx.reportSuccess('orders');
    report.rowsRead.outbox += snapshot.unconfirmed?.length ?? 0;
    const oldest = snapshot.unconfirmed?.reduce<Date | null>(
      (min, r) => (!min || r.createdAt < min ? r.createdAt : min),
      null,
    );
    report.outboxOldestPendingAgeSeconds = oldest ? (ctx.now.getTime() - oldest.getTime()) / 1000 : null;
    judgements = stuckOutbox.detect(snapshot, ctx.now, ctx.graceMs);
  } catch (error) {
    ctx.reportFailure('orders', error as Error);
    report.fresh.orders = false;
    judgements = stuckOutbox.detect({ unconfirmed: undefined, openKeys }, ctx.now, ctx.graceMs);
  }
  const applied = await ctx.store.applyJudgements(judgements, ctx.now);
  report.opened += applied.opened;
  report.resolved += applied.resolved;
  report.unknown += judgements.filter((j) => j.verdict === 'unknown').length;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function signal() {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve: () => resolve() };
}

/** Removes and returns up to `n` values, oldest first. */
function take(values: Set<string>, n: number): string[] {
  const taken: string[] = [];
  for (const value of values) {
    if (taken.length === n) break;
    taken.push(value);
  }
  for (const value of taken) values.delete(value);
  return taken;
}

/**
 * Promise.all that waits for every branch before it rethrows the first failure: no branch of a failed cycle may
 * still be writing when the next cycle starts.
 */
async function allSettled<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
