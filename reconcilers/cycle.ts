import { type JudgeContext, judgeOrderIds } from './judge.ts';
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
 * open finding; advances a watermark only when its side was read completely.
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
  const judge = async (orderIds: readonly string[], newDispatches: readonly DispatchRow[] = []) => {
    const outcome = await judgeOrderIds(ctx, orderIds, newDispatches);
    report.candidates += orderIds.length;
    report.opened += outcome.opened;
    report.resolved += outcome.resolved;
    report.unknown += outcome.unknown;
    if (!outcome.fresh.orders) report.fresh.orders = false;
    if (!outcome.fresh.dispatch) report.fresh.dispatch = false;
  };

  const ordersDone = await readChanged<OrderRow>(
    'orders',
    ctx,
    until,
    (c, u, l) => ctx.orders.pageChangedOrders(c, u, l),
    async (rows) => {
      report.rowsRead.orders += rows.length;
      await judge(rows.map((r) => r.id));
    },
  );
  if (!ordersDone) report.fresh.orders = false;

  const dispatchWatermark = await store.getWatermark('dispatches');
  const dispatchDone = await readChanged<DispatchRow>(
    'dispatches',
    ctx,
    until,
    (c, u, l) => ctx.dispatch.pageChangedDispatches(c, u, l),
    async (rows) => {
      report.rowsRead.dispatches += rows.length;
      // Only dispatches past the old watermark are new; the overlap re-reads the rest and must not count them twice.
      const isNew = (d: DispatchRow) => !dispatchWatermark || d.createdAt > dispatchWatermark;
      await judge(unique(rows.map((r) => r.orderId)), rows.filter(isNew));
    },
  );
  if (!dispatchDone) report.fresh.dispatch = false;

  for (const reconciler of ORDER_SCOPED_RECONCILERS) {
    await forEachOpenKeyPage(ctx, reconciler.kind, (keys) => judge(keys));
  }

  await checkOutbox(ctx, report);
  // A side read completely moves its watermark to the closed upper bound; a failed side reads the same span again.
  if (ordersDone && report.fresh.orders) await store.setWatermark('orders', until);
  if (dispatchDone && report.fresh.dispatch) await store.setWatermark('dispatches', until);
  return report;
}

async function readChanged<T extends { position: string; id: string }>(
  stream: string,
  ctx: JudgeContext,
  until: Date,
  page: (after: Cursor, until: Date, limit: number) => Promise<T[]>,
  onPage: (rows: T[]) => Promise<void>,
): Promise<boolean> {
  const watermark = await ctx.store.getWatermark(stream);
  let cursor: Cursor = { after: new Date((watermark?.getTime() ?? 0) - ctx.overlapMs).toISOString(), id: null };
  try {
    for (;;) {
      const rows = await page(cursor, until, ctx.pageSize);
      if (rows.length > 0) await onPage(rows);
      if (rows.length < ctx.pageSize) return true;
      const last = rows[rows.length - 1]!;
      cursor = { after: last.position, id: last.id };
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
