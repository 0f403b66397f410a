import { baselineRules, connect, dispatchPages, orderPages } from './baseline-db.ts';

// Named statements: the server parses and plans each once, which makes this baseline faster, not slower.
const DISPATCHES_OF_ORDER = { name: 'dispatches-of-order', text: 'SELECT status FROM dispatches WHERE order_id = $1' };
const ORDER_BY_ID = { name: 'order-by-id', text: 'SELECT 1 FROM orders WHERE id = $1' };

/**
 * The naive baseline: stream each side in keyset pages and look up every row's counterpart with one query, one
 * at a time. At `sampleRate` < 1 only a uniform random sample of rows is looked up (all rows are still streamed);
 * the lookup time is then scaled up per side by rows / sampled rows, and the sampled ids go back for checking.
 */
export async function runPerRow({ sampleRate = 1, seed = 1 }: Record<string, number>) {
  const { cutoffMs, isLive } = baselineRules();
  const random = mulberry32(seed);
  const [orders, dispatch] = await Promise.all([connect('orders'), connect('dispatch')]);
  const sides = {
    orders: { rows: 0, lookups: 0, lookupMs: 0 },
    dispatches: { rows: 0, lookups: 0, lookupMs: 0 },
  };
  const missing: string[] = [];
  const orphans = new Set<string>();
  const sampled = { orders: [] as string[], dispatchOrders: [] as string[] };
  const isSample = sampleRate < 1;
  try {
    const startedAt = performance.now();
    for await (const page of orderPages(orders)) {
      sides.orders.rows += page.length;
      for (const order of page) {
        if (order.created_at.getTime() > cutoffMs || (isSample && random() >= sampleRate)) continue;
        if (isSample) sampled.orders.push(order.id);
        const lookupAt = performance.now();
        const { rows } = await dispatch.query<{ status: string | null }>({
          ...DISPATCHES_OF_ORDER,
          values: [order.id],
        });
        sides.orders.lookupMs += performance.now() - lookupAt;
        sides.orders.lookups += 1;
        if (!rows.some((r) => isLive(r.status))) missing.push(order.id);
      }
    }
    for await (const page of dispatchPages(dispatch)) {
      sides.dispatches.rows += page.length;
      for (const row of page) {
        if (!isLive(row.status) || row.created_at.getTime() > cutoffMs || (isSample && random() >= sampleRate))
          continue;
        if (isSample) sampled.dispatchOrders.push(row.order_id);
        const lookupAt = performance.now();
        const { rowCount } = await orders.query({ ...ORDER_BY_ID, values: [row.order_id] });
        sides.dispatches.lookupMs += performance.now() - lookupAt;
        sides.dispatches.lookups += 1;
        if (rowCount === 0) orphans.add(row.order_id);
      }
    }
    const measuredSeconds = (performance.now() - startedAt) / 1000;
    const scaledMs = (s: typeof sides.orders) => (s.lookups === 0 ? 0 : (s.lookupMs * s.rows) / s.lookups);
    const lookupMs = sides.orders.lookupMs + sides.dispatches.lookupMs;
    const seconds = isSample
      ? measuredSeconds + (scaledMs(sides.orders) + scaledMs(sides.dispatches) - lookupMs) / 1000
      : measuredSeconds;
    return {
      seconds,
      rowsCompared: sides.orders.rows + sides.dispatches.rows,
      found: { missing, orphans: [...orphans] },
      details: { sampleRate, measuredSeconds, isExtrapolated: isSample, sides, ...(isSample ? { sampled } : {}) },
    };
  } finally {
    await Promise.all([orders.end(), dispatch.end()]);
  }
}

/** A small seeded PRNG, so a sample is reproducible. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
