import type { DemoSystem } from './system.ts';

/** One line of what the databases hold now, so the demo's effects are visible while it runs. */
export async function reportStatus(system: Pick<DemoSystem, 'ordersPool' | 'dispatchPool'>): Promise<string> {
  const [orders, dispatch] = await Promise.all([
    system.ordersPool.query<{ orders: string; unconfirmed: string; faults: string }>(
      `SELECT (SELECT count(*) FROM orders) AS orders,
              (SELECT count(*) FROM outbox WHERE confirmed_at IS NULL) AS unconfirmed,
              (SELECT count(*) FROM demo_faults) AS faults`,
    ),
    system.dispatchPool.query<{ dispatches: string }>(
      "SELECT count(*) AS dispatches FROM dispatches WHERE status <> 'cancelled'",
    ),
  ]);
  const o = orders.rows[0]!;
  const d = dispatch.rows[0]!;
  return `[${new Date().toISOString()}] orders ${o.orders} · unconfirmed outbox ${o.unconfirmed} · live dispatches ${d.dispatches} · faults injected ${o.faults}`;
}
