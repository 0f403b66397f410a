import type { Logger } from 'pino';
import { type FaultRates, isChosen } from './faults.ts';
import type { LostDispatchWorker } from './lost-dispatch.ts';
import type { OrderService } from './order-service.ts';

/** Placements in flight at once; past it the generator waits, so a slow database slows traffic instead of piling up. */
const MAX_IN_FLIGHT = 64;

export interface TrafficOptions {
  ratePerSecond: number;
  /** Stop after this many orders (default: no limit). */
  count?: number;
  /** Stop after this long (default: no limit). */
  durationMs?: number;
  faults: FaultRates;
  orders: OrderService;
  lostDispatch: LostDispatchWorker;
  log: Logger;
  signal?: AbortSignal;
}

export interface TrafficSummary {
  committed: number;
  rolledBack: number;
  poison: number;
  lostDispatch: number;
  errors: number;
  /** Ids of committed orders, in placement order (for tests that follow them). */
  committedOrderIds: string[];
}

/** Places orders at a steady rate, injecting the order-side faults at their rates. */
export async function runTraffic(options: TrafficOptions): Promise<TrafficSummary> {
  const {
    ratePerSecond,
    count = Number.POSITIVE_INFINITY,
    durationMs,
    faults,
    orders,
    lostDispatch,
    log,
    signal,
  } = options;
  if (!(ratePerSecond > 0))
    throw new Error(`traffic rate must be a positive number of orders per second, got ${ratePerSecond}`);
  const summary: TrafficSummary = {
    committed: 0,
    rolledBack: 0,
    poison: 0,
    lostDispatch: 0,
    errors: 0,
    committedOrderIds: [],
  };
  const startedAt = Date.now();
  const endsAt = durationMs === undefined ? Number.POSITIVE_INFINITY : startedAt + durationMs;
  const inFlight = new Set<Promise<void>>();

  const placeOne = async () => {
    try {
      if (Math.random() < faults['publish-then-rollback']) {
        if (await orders.placeOrderThenRollback()) summary.rolledBack += 1;
      } else {
        const { orderId, messageId } = await orders.placeOrder();
        summary.committed += 1;
        summary.committedOrderIds.push(orderId);
        // Deleting the dispatch of a non-idempotent order races its redelivery (one row or none survives): keep
        // those faults apart so the ledger stays an exact ground truth.
        const isNonIdempotent = isChosen('non-idempotent', messageId, faults['non-idempotent']);
        if (!isNonIdempotent && Math.random() < faults['lost-dispatch']) {
          lostDispatch.enqueue(orderId);
          summary.lostDispatch += 1;
        }
      }
      if (Math.random() < faults.poison && (await orders.publishPoison())) summary.poison += 1;
    } catch (err) {
      summary.errors += 1;
      log.warn(
        { err: (err as Error).message, cause: ((err as Error).cause as Error | undefined)?.message },
        'placing an order failed',
      );
    }
  };

  for (let i = 0; i < count && !signal?.aborted; i++) {
    const dueAt = startedAt + (i * 1000) / ratePerSecond;
    if (dueAt >= endsAt) break;
    const waitMs = dueAt - Date.now();
    if (waitMs > 0) await abortableSleep(waitMs, signal);
    if (signal?.aborted) break;
    const placement = placeOne().finally(() => inFlight.delete(placement));
    inFlight.add(placement);
    if (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return summary;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
