import { createCycleJudge, type OpenFindings, withOpenFindings } from './cycle-judging.ts';
import type { JudgeContext } from './judge.ts';
import type { OpenFinding } from './open-findings.ts';
import { ORDER_SCOPED_RECONCILERS } from './registry.ts';
import { stuckOutbox } from './stuck-outbox.ts';
import type { Cursor, DispatchRow, Judgement, OrderRow } from './types.ts';

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
  // The open findings are read while the changed rows' first pages are: a page is judged once both are in.
  const opening = readOpenFindings(ctx).then((open) => {
    const judgeCtx = withOpenFindings(ctx, open);
    return { open, judgeCtx, judgeBatch: createCycleJudge(judgeCtx) };
  });
  opening.catch(() => {}); // awaited by every branch below; a failure fails the cycle, not a source
  const [ordersWatermark, dispatchWatermark] = await Promise.all([
    store.getWatermark('orders'),
    store.getWatermark('dispatches'),
  ]).catch(async (error: unknown) => {
    await opening.catch(() => {}); // nothing of a failed cycle may still be running when the next one starts
    throw error;
  });
  // Order ids judged from a changed row (their lookup comes after the change was read) need no second lookup: the
  // re-check starts once each side's first page is read, leaves out the ids judged so far, and loses any a later
  // page judges.
  const judged = new Set<string>();
  let recheck: Set<string> | undefined;
  const judge = async (orderIds: readonly string[], knownOrders?: OrderRow[], newDispatches?: DispatchRow[]) => {
    for (const id of orderIds) {
      judged.add(id);
      recheck?.delete(id);
    }
    // Batches reach the judge in the order they were called (one promise, continuations in order), which its
    // ordering of batches that share an order id relies on.
    const outcome = await (await opening).judgeBatch(orderIds, knownOrders, newDispatches);
    report.candidates += orderIds.length;
    report.opened += outcome.opened;
    report.resolved += outcome.resolved;
    report.unknown += outcome.unknown;
    if (!outcome.fresh.orders) report.fresh.orders = false;
    if (!outcome.fresh.dispatch) report.fresh.dispatch = false;
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
      const { open } = await opening;
      await Promise.all([firstPages.orders.promise, firstPages.dispatches.promise]);
      const keys = ORDER_SCOPED_RECONCILERS.flatMap(({ kind }) => [...(open.get(kind)?.keys() ?? [])]);
      const pending = new Set(keys.filter((id) => !judged.has(id)));
      recheck = pending;
      // Two batches at a time: the last, short batch need not wait for the full one before it. After a failure
      // neither takes another batch, and both have stopped before the cycle fails.
      let failed = false;
      const worker = async () => {
        while (!failed && pending.size > 0) {
          await judge(take(pending, ctx.pageSize)).catch((error: unknown) => {
            failed = true;
            throw error;
          });
        }
      };
      await allSettled([worker(), worker()]);
    })(),
    opening.then(({ open, judgeCtx }) =>
      checkOutbox(judgeCtx, [...(open.get(stuckOutbox.kind)?.keys() ?? [])], report),
    ),
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
 * The open findings the cycle judges, every kind read at once and held for the cycle: open findings stay few, and
 * knowing them spares the store the verdicts that change nothing.
 */
async function readOpenFindings(ctx: JudgeContext): Promise<OpenFindings> {
  const open: OpenFindings = new Map();
  const kinds = [...ORDER_SCOPED_RECONCILERS.map(({ kind }) => kind), stuckOutbox.kind];
  await Promise.all(
    kinds.map(async (kind) => {
      const findings = new Map<string, OpenFinding>();
      open.set(kind, findings);
      let after: string | null = null;
      for (;;) {
        const page = await ctx.store.openFindings(kind, after, ctx.pageSize);
        for (const finding of page) findings.set(finding.key, finding);
        if (page.length < ctx.pageSize) return;
        after = page[page.length - 1]!.key;
      }
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
  for (;;) {
    let rows: T[];
    try {
      rows = await next;
    } catch (error) {
      // The source failed; judging a page is not this stream's read (its lookups report their own failures, and a
      // store failure fails the cycle).
      ctx.reportFailure(stream === 'orders' ? 'orders' : 'dispatch', error as Error);
      return false;
    }
    const isLast = rows.length < ctx.pageSize;
    // The next page is read while this one is judged.
    if (!isLast) next = fetch({ after: rows[rows.length - 1]!.position, id: rows[rows.length - 1]!.id });
    if (rows.length > 0) await onPage(rows);
    if (isLast) return true;
  }
}

async function checkOutbox(ctx: JudgeContext, openKeys: string[], report: CycleReport) {
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
