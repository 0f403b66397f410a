import type { GraceSettings, ReconcilerReading } from '../define-kind.ts';
import type {
  DispatchPort,
  DispatchRow,
  OrderRow,
  OrdersPort,
  OutboxPort,
  ReplicationSlotPort,
} from '../ports/business-db.ts';
import type { WatermarkPort } from '../ports/findings-store.ts';
import type { OrderDispatchSnapshot } from '../snapshots/order-dispatch.ts';
import type { FindingsWriter } from './findings-writer.ts';

export type BusinessSide = 'orders' | 'dispatch';

/** Where the engines report each read of a business database, so its health (and staleness) is known. */
export interface SourceHealthPort {
  success(side: BusinessSide): void;
  failure(side: BusinessSide, error: Error): void;
}

/** What the database engines (the incremental cycle and the full sweep) work with. */
export interface DatabaseEngineContext {
  orders: OrdersPort;
  dispatch: DispatchPort;
  /** Null for a flow without an outbox (or one whose rows cannot be looked at: Debezium's). */
  outbox: OutboxPort | null;
  /** The kinds judged per order id over both databases. */
  orderKinds: readonly ReconcilerReading<'order-dispatch'>[];
  /** The kinds judged over dispatch order references that cannot be order ids. */
  referenceKinds: readonly ReconcilerReading<'order-references'>[];
  /** The kinds judged over the outbox rows not yet published. */
  outboxKinds: readonly ReconcilerReading<'outbox'>[];
  /** A CDC outbox's replication slot, and the kinds judged over it; null for an outbox with rows to look at. */
  slots: {
    port: ReplicationSlotPort;
    slot: string | null;
    maxLagBytes: number;
    kinds: readonly ReconcilerReading<'replication-slots'>[];
  } | null;
  findings: FindingsWriter;
  watermarks: WatermarkPort;
  settings: GraceSettings;
  /** How far behind each watermark a cycle reads again (rows stamped early but committed late). */
  overlapMs: number;
  /** Rows per keyset page and order ids per lookup batch. */
  pageSize: number;
  health: SourceHealthPort;
  /** Called once per newly seen dispatch whose order exists: the order→dispatch latency. */
  observeOrderToDispatch?(seconds: number): void;
}

export interface JudgeOutcome {
  opened: number;
  resolved: number;
  unknown: number;
  fresh: { orders: boolean; dispatch: boolean };
}

/** What the caller already holds of a batch: order rows just read (not looked up again), dispatches new this cycle. */
export interface BatchRows {
  knownOrders?: readonly OrderRow[];
  newDispatches?: readonly DispatchRow[];
}

/** Looks up both sides of these order ids, runs every order-scoped kind over them, and stores the verdicts. */
export async function judgeOrderIds(
  ctx: DatabaseEngineContext,
  now: Date,
  orderIds: readonly string[],
  { knownOrders = [], newDispatches = [] }: BatchRows = {},
): Promise<JudgeOutcome> {
  const fresh = { orders: true, dispatch: true };
  const failed = (side: BusinessSide) => (error: Error) => {
    fresh[side] = false;
    ctx.health.failure(side, error);
    return undefined;
  };
  const [orders, dispatches] = await Promise.all([
    lookUpOrders(ctx.orders, orderIds, knownOrders).catch(failed('orders')),
    ctx.dispatch.findDispatchesByOrderIds(orderIds).catch(failed('dispatch')),
  ]);
  if (fresh.orders) ctx.health.success('orders');
  if (fresh.dispatch) ctx.health.success('dispatch');
  const snapshot: OrderDispatchSnapshot = {
    orderIds,
    orders: orders && new Map(orders.map((row) => [row.id, row])),
    dispatches: dispatches && groupBy(dispatches, (row) => row.orderId),
  };
  const judgements = ctx.orderKinds.flatMap((kind) => kind.detect(snapshot, now, ctx.settings));
  const { opened, resolved } = await ctx.findings.apply(judgements, now);
  if (ctx.observeOrderToDispatch && snapshot.orders) {
    for (const dispatch of newDispatches) {
      const order = snapshot.orders.get(dispatch.orderId);
      if (order)
        ctx.observeOrderToDispatch(Math.max(0, (dispatch.createdAt.getTime() - order.createdAt.getTime()) / 1000));
    }
  }
  return { opened, resolved, unknown: judgements.filter((j) => j.verdict === 'unknown').length, fresh };
}

/** Order rows the caller has just read are as fresh as a lookup would be: only the other ids are queried. */
async function lookUpOrders(port: OrdersPort, ids: readonly string[], known: readonly OrderRow[]) {
  if (known.length === 0) return port.findOrders(ids);
  const byId = new Map(known.map((row) => [row.id, row]));
  const others = ids.filter((id) => !byId.has(id));
  const found = others.length > 0 ? await port.findOrders(others) : [];
  return [...ids.flatMap((id) => byId.get(id) ?? []), ...found];
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
