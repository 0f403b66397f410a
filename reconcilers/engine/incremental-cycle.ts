import type { DispatchRow, OrderRow } from '../ports/business-db.ts';
import { createSignal, mapLimit, settleAll } from './async.ts';
import { readChangedRows } from './changed-rows.ts';
import { type BatchRows, type DatabaseEngineContext, type JudgeOutcome, judgeOrderIds } from './judge-orders.ts';
import { judgeOutbox } from './judge-outbox.ts';
import { judgeReferences } from './judge-references.ts';
import { judgeSlots } from './judge-slots.ts';
import { inCallOrderPerOrderId } from './ordered-judging.ts';

/** Re-check batches judged at once: the last, short batch need not wait for the full one before it. */
const RECHECK_BATCHES_AT_ONCE = 2;

/** What one incremental cycle did, for logs, metrics and tests. */
export interface CycleReport {
  startedAt: Date;
  rowsRead: { orders: number; dispatches: number; outbox: number };
  candidates: number;
  opened: number;
  resolved: number;
  unknown: number;
  /** Whether the open findings no changed row brought were re-checked this cycle. */
  rechecked: boolean;
  fresh: { orders: boolean; dispatch: boolean };
  /** When the oldest unconfirmed outbox row was written; null when there is none or it was not read. */
  outboxOldestPendingAt: Date | null;
}

/**
 * One incremental cycle, in named steps:
 * 1. know the open findings (read whole when not known yet or when `recheck` is due) and the watermarks;
 * 2. read each side's rows changed since its watermark minus the overlap window, up to `now - grace` on both sides
 *    (a closed window), in keyset pages, judging each page's order ids against fresh lookups of both databases;
 * 3. with `recheck`, re-judge every open finding no changed row brought (a row deleted, a clock edge: what no
 *    change announces), two batches at a time;
 * 4. judge the unconfirmed outbox rows;
 * 5. move each side's watermark to `now - grace` when that side was read whole with every lookup fresh.
 * Steps 2–4 run concurrently: batches that share an order id are judged in the order they were started, and the
 * re-check starts once both sides' first pages are in, leaving out what the changed rows have judged.
 */
export async function runIncrementalCycle(
  ctx: DatabaseEngineContext,
  { now, recheck }: { now: Date; recheck: boolean },
): Promise<CycleReport> {
  const until = new Date(now.getTime() - ctx.settings.graceMs);
  const report = emptyReport(now, recheck);
  const kinds = [...ctx.orderKinds, ...ctx.referenceKinds, ...ctx.outboxKinds, ...(ctx.slots?.kinds ?? [])].map(
    (k) => k.kind,
  );

  // Step 1. Reading the open findings overlaps the first pages' reads; a page is judged once they are known.
  const knowing = recheck || !kinds.every(ctx.findings.isLoaded) ? ctx.findings.load(kinds) : Promise.resolve();
  knowing.catch(() => {}); // awaited by every branch below; a failure fails the cycle, not a source
  const [ordersWatermark, dispatchWatermark] = await settleAll([
    ctx.watermarks.getWatermark('orders'),
    ctx.watermarks.getWatermark('dispatches'),
  ] as const).catch(async (error: unknown) => {
    await knowing.catch(() => {}); // nothing of a failed cycle may still be running when the next one starts
    throw error;
  });

  const judged = new Set<string>();
  let remainingRecheck: Set<string> | undefined;
  const judgeInOrder = inCallOrderPerOrderId((orderIds, rows) => judgeOrderIds(ctx, now, orderIds, rows));
  const judge = async (orderIds: readonly string[], rows?: BatchRows) => {
    for (const id of orderIds) {
      judged.add(id);
      remainingRecheck?.delete(id);
    }
    // Called in page order, and the continuations after `knowing` run in that order: judgeInOrder sees call order.
    await knowing;
    addOutcome(report, orderIds.length, await judgeInOrder(orderIds, rows));
  };
  const firstPages = { orders: createSignal(), dispatches: createSignal() };
  // References that cannot be order ids: judged on their own, never as order ids.
  const judgeMalformed = async (references: readonly string[]) => {
    await knowing;
    addOutcome(report, 0, await judgeReferences(ctx, now, references));
  };

  // Step 2.
  const readOrders = readChangedRows<OrderRow>(
    ctx,
    'orders',
    ordersWatermark,
    until,
    (after, upTo, limit) => ctx.orders.pageChangedOrders(after, upTo, limit),
    async (rows) => {
      report.rowsRead.orders += rows.length;
      const judging = judge(
        rows.map((r) => r.id),
        { knownOrders: rows },
      );
      firstPages.orders.resolve();
      await judging;
    },
  ).finally(firstPages.orders.resolve);
  const readDispatches = readChangedRows<DispatchRow>(
    ctx,
    'dispatch',
    dispatchWatermark,
    until,
    (after, upTo, limit) => ctx.dispatch.pageChangedDispatches(after, upTo, limit),
    async (rows) => {
      report.rowsRead.dispatches += rows.length;
      // Only dispatches past the old watermark are new; the overlap re-reads the rest and must not count them twice.
      const isNew = (d: DispatchRow) => !dispatchWatermark || d.createdAt > dispatchWatermark;
      const valid = rows.filter((d) => d.orderIdProblem === null);
      const judging = judge([...new Set(valid.map((r) => r.orderId))], { newDispatches: valid.filter(isNew) });
      const malformed = [...new Set(rows.filter((d) => d.orderIdProblem !== null).map((d) => d.orderId))];
      const reporting = malformed.length > 0 ? judgeMalformed(malformed) : Promise.resolve();
      firstPages.dispatches.resolve();
      await Promise.all([judging, reporting]);
    },
  ).finally(firstPages.dispatches.resolve);

  // Step 3.
  const recheckOpen = async () => {
    if (!recheck) return;
    await Promise.all([knowing, firstPages.orders.promise, firstPages.dispatches.promise]);
    const references = ctx.referenceKinds.flatMap((kind) => ctx.findings.openKeys(kind.kind));
    const rechecking = references.length > 0 ? judgeMalformed(references) : Promise.resolve();
    const open = ctx.orderKinds.flatMap((kind) => ctx.findings.openKeys(kind.kind));
    remainingRecheck = new Set(open.filter((id) => !judged.has(id)));
    const pending = remainingRecheck;
    const batches = Array.from(
      { length: Math.ceil(pending.size / ctx.pageSize) },
      () => () => take(pending, ctx.pageSize),
    );
    await settleAll([
      rechecking,
      mapLimit(batches, RECHECK_BATCHES_AT_ONCE, async (nextBatch) => {
        const batch = nextBatch();
        if (batch.length > 0) await judge(batch);
      }),
    ] as const);
  };

  // Step 4.
  const checkOutbox = async () => {
    await knowing;
    const [outbox, slots] = await settleAll([judgeOutbox(ctx, now), judgeSlots(ctx, now)] as const);
    report.opened += slots.opened;
    report.resolved += slots.resolved;
    report.rowsRead.outbox += outbox.rowsRead;
    report.opened += outbox.opened;
    report.resolved += outbox.resolved;
    report.unknown += outbox.unknown;
    report.outboxOldestPendingAt = outbox.oldestPendingAt;
    if (!outbox.isFresh) report.fresh.orders = false;
  };

  const [ordersRead, dispatchesRead] = await settleAll([
    readOrders,
    readDispatches,
    recheckOpen(),
    checkOutbox(),
  ] as const);
  if (!ordersRead) report.fresh.orders = false;
  if (!dispatchesRead) report.fresh.dispatch = false;

  // Step 5. A side read whole moves to the closed upper bound; a failed side reads the same span again.
  await Promise.all([
    report.fresh.orders && ctx.watermarks.setWatermark('orders', until),
    report.fresh.dispatch && ctx.watermarks.setWatermark('dispatches', until),
  ]);
  return report;
}

function emptyReport(now: Date, recheck: boolean): CycleReport {
  return {
    startedAt: now,
    rowsRead: { orders: 0, dispatches: 0, outbox: 0 },
    candidates: 0,
    opened: 0,
    resolved: 0,
    unknown: 0,
    rechecked: recheck,
    fresh: { orders: true, dispatch: true },
    outboxOldestPendingAt: null,
  };
}

function addOutcome(report: CycleReport, candidates: number, outcome: JudgeOutcome) {
  report.candidates += candidates;
  report.opened += outcome.opened;
  report.resolved += outcome.resolved;
  report.unknown += outcome.unknown;
  if (!outcome.fresh.orders) report.fresh.orders = false;
  if (!outcome.fresh.dispatch) report.fresh.dispatch = false;
}

/** Removes and returns up to `n` values, oldest first: a later page may still take ids out of the set meanwhile. */
function take(values: Set<string>, n: number): string[] {
  const taken: string[] = [];
  for (const value of values) {
    if (taken.length === n) break;
    taken.push(value);
  }
  for (const value of taken) values.delete(value);
  return taken;
}
