import type { OpenFinding } from './open-findings.ts';
import { gatherOrderDispatch } from './order-dispatch-snapshot.ts';
import { ORDER_SCOPED_RECONCILERS } from './registry.ts';
import type { DispatchPort, DispatchRow, FindingKind, Judgement, OrdersPort } from './types.ts';

/** The subset of Recon's store a cycle needs. */
export interface CycleStatePort {
  applyJudgements(judgements: readonly Judgement[], now: Date): Promise<{ opened: number; resolved: number }>;
  openFindingKeys(kind: FindingKind, afterKey: string | null, limit: number): Promise<string[]>;
  /** A page of one kind's open findings in key order, with what a new verdict is compared against. */
  openFindings(kind: FindingKind, afterKey: string | null, limit: number): Promise<OpenFinding[]>;
  getWatermark(stream: string): Promise<Date | null>;
  setWatermark(stream: string, at: Date): Promise<void>;
}

export interface JudgeContext {
  orders: OrdersPort;
  dispatch: DispatchPort;
  store: CycleStatePort;
  now: Date;
  graceMs: number;
  overlapMs: number;
  pageSize: number;
  reportSuccess(side: 'orders' | 'dispatch'): void;
  reportFailure(side: 'orders' | 'dispatch', error: Error): void;
  /** Called once per newly seen dispatch whose order exists: the order→dispatch latency. */
  observeOrderToDispatch?(seconds: number): void;
}

export interface JudgeOutcome {
  opened: number;
  resolved: number;
  unknown: number;
  fresh: { orders: boolean; dispatch: boolean };
}

/** Looks up both sides of these order ids, runs every order-scoped reconciler, and stores the verdicts. */
export async function judgeOrderIds(
  ctx: JudgeContext,
  orderIds: readonly string[],
  newDispatches: readonly DispatchRow[] = [],
): Promise<JudgeOutcome> {
  const fresh = { orders: true, dispatch: true };
  const snapshot = await gatherOrderDispatch(ctx, orderIds, ({ side, error }) => {
    fresh[side] = false;
    ctx.reportFailure(side, error);
  });
  if (fresh.orders) ctx.reportSuccess('orders');
  if (fresh.dispatch) ctx.reportSuccess('dispatch');
  const judgements = ORDER_SCOPED_RECONCILERS.flatMap((r) => r.detect(snapshot, ctx.now, ctx.graceMs));
  const { opened, resolved } = await ctx.store.applyJudgements(judgements, ctx.now);
  if (ctx.observeOrderToDispatch && snapshot.orders) {
    for (const dispatch of newDispatches) {
      const order = snapshot.orders.get(dispatch.orderId);
      if (order)
        ctx.observeOrderToDispatch(Math.max(0, (dispatch.createdAt.getTime() - order.createdAt.getTime()) / 1000));
    }
  }
  return { opened, resolved, unknown: judgements.filter((j) => j.verdict === 'unknown').length, fresh };
}
