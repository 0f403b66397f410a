import type { BatchRows, JudgeOutcome } from './judge-orders.ts';

export type JudgeBatch = (orderIds: readonly string[], rows?: BatchRows) => Promise<JudgeOutcome>;

/**
 * Judges batches of order ids concurrently (the changed orders, the changed dispatches and the re-check of open
 * findings are independent reads), except that a batch waits for every earlier batch that shares an order id with
 * it: the store must get the later lookup last, and a writer counts openings exactly only without a concurrent
 * write of the same finding. "Earlier" is call order.
 */
export function inCallOrderPerOrderId(judge: JudgeBatch): JudgeBatch {
  const inFlight = new Map<string, Promise<unknown>>();
  return async (orderIds, rows) => {
    const earlier = new Set<Promise<unknown>>();
    for (const id of orderIds) {
      const batch = inFlight.get(id);
      if (batch) earlier.add(batch);
    }
    const run = Promise.allSettled(earlier).then(() => judge(orderIds, rows));
    const settled = run.catch(() => {});
    for (const id of orderIds) inFlight.set(id, settled);
    try {
      return await run;
    } finally {
      for (const id of orderIds) if (inFlight.get(id) === settled) inFlight.delete(id);
    }
  };
}
