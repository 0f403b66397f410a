import type { DispatchPort, OrdersPort } from '../reconcilers/ports/business-db.ts';

/** Calls, rows returned and time spent per method: what Recon really read, lookups included. */
export type PortStats = Record<string, { calls: number; rows: number; ms: number }>;

function entryOf(stats: PortStats, key: string) {
  stats[key] ??= { calls: 0, rows: 0, ms: 0 };
  return stats[key];
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

/** Counts a stream of pages: one call, every page's rows, the time spent waiting for pages (not the consumer's). */
async function* countingPages(pages: AsyncIterable<unknown>, key: string, stats: PortStats) {
  const entry = entryOf(stats, key);
  entry.calls += 1;
  const iterator = pages[Symbol.asyncIterator]();
  try {
    for (;;) {
      const startedAt = performance.now();
      const next = await iterator.next();
      entry.ms += performance.now() - startedAt;
      if (next.done) return;
      entry.rows += Array.isArray(next.value) ? next.value.length : 0;
      yield next.value;
    }
  } finally {
    await iterator.return?.();
  }
}

/**
 * Wraps every method of an object to count into `stats` under `prefix.method` (rows: the length of an array result,
 * or of every page of a streamed one).
 */
export function countingCalls<T extends object>(target: T, prefix: string, stats: PortStats): T {
  const wrapped = {} as Record<string, unknown>;
  for (const [name, method] of Object.entries(target)) {
    if (typeof method !== 'function') continue;
    const key = `${prefix}.${name}`;
    wrapped[name] = (...args: unknown[]) => {
      const startedAt = performance.now();
      const result: unknown = method.apply(target, args);
      if (isAsyncIterable(result)) return countingPages(result, key, stats);
      return (async () => {
        const value: unknown = await result;
        const entry = entryOf(stats, key);
        entry.calls += 1;
        entry.rows += Array.isArray(value) ? value.length : 0;
        entry.ms += performance.now() - startedAt;
        return value;
      })();
    };
  }
  return wrapped as T;
}

/** The business databases' ports, counted together: their rows are the rows Recon read. */
export function countingPorts(orders: OrdersPort, dispatch: DispatchPort) {
  const stats: PortStats = {};
  return {
    orders: countingCalls(orders, 'orders', stats),
    dispatch: countingCalls(dispatch, 'dispatch', stats),
    stats,
  };
}

export function totalRows(stats: PortStats): number {
  return Object.values(stats).reduce((sum, s) => sum + s.rows, 0);
}
