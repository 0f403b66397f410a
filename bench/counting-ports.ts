import type { DispatchPort, OrdersPort } from '../reconcilers/ports/business-db.ts';

/** Calls, rows returned and time spent per method: what Recon really read, lookups included. */
export type PortStats = Record<string, { calls: number; rows: number; ms: number }>;

/** Wraps every method of an object to count into `stats` under `prefix.method` (rows: the length of an array result). */
export function countingCalls<T extends object>(target: T, prefix: string, stats: PortStats): T {
  const wrapped = {} as Record<string, unknown>;
  for (const [name, method] of Object.entries(target)) {
    if (typeof method !== 'function') continue;
    wrapped[name] = async (...args: unknown[]) => {
      const startedAt = performance.now();
      const result: unknown = await method.apply(target, args);
      const key = `${prefix}.${name}`;
      stats[key] ??= { calls: 0, rows: 0, ms: 0 };
      const entry = stats[key];
      entry.calls += 1;
      entry.rows += Array.isArray(result) ? result.length : 0;
      entry.ms += performance.now() - startedAt;
      return result;
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
