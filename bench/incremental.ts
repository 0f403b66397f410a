import pg from 'pg';
import { createPgStore } from '../server/store/pg-store.ts';
import { benchUrl } from './databases.ts';
import type { Expected } from './expected.ts';
import type { createMeasurer, Measured } from './measure.ts';
import { checkReconStore } from './recon-answer.ts';

export interface IncrementalOptions {
  measure: ReturnType<typeof createMeasurer>;
  expected: Expected;
  recon: pg.Pool;
  rounds: number;
  /** Rows changed before each measured cycle. */
  touched: number;
  /** Run the first cycle from an empty watermark (reads every row) instead of setting the watermarks to now. */
  isFirstCycleRun: boolean;
  log: (line: string) => void;
}

export interface IncrementalResults {
  first?: Measured;
  idle: Measured;
  scenarios: Record<string, Measured[]>;
}

export const changedOrdersLabel = (touched: number) => `recon cycle, ${touched.toLocaleString('en')} orders changed`;

const TOUCH_ORDERS =
  'UPDATE orders SET updated_at = now() WHERE id IN (SELECT id FROM orders ORDER BY random() LIMIT $1)';
const TOUCH_DISPATCHES = `UPDATE dispatches SET updated_at = now()
  WHERE id IN (SELECT id FROM dispatches ORDER BY random() LIMIT $1)`;

/**
 * The incremental cycle on top of the sweep's findings: watermarks first (a real first cycle, or set to now), one
 * cycle with nothing changed, then rounds of "touch N rows, run one cycle". Every cycle must leave the store with
 * exactly the expected findings: touching a row changes no answer.
 */
export async function runIncremental(o: IncrementalOptions): Promise<IncrementalResults> {
  const cycle = { name: 'recon-cycle', options: {} } as const;
  const check = () => checkReconStore(o.recon, o.expected);
  let first: Measured | undefined;
  if (o.isFirstCycleRun) {
    o.log('incremental: first cycle from an empty watermark (reads every row)');
    await o.recon.query('TRUNCATE watermarks');
    first = await o.measure('recon first cycle (empty watermark)', cycle, check);
  } else {
    const store = createPgStore(o.recon);
    const now = new Date();
    await store.setWatermark('orders', now);
    await store.setWatermark('dispatches', now);
  }
  o.log('incremental: a cycle with no changed rows');
  const idle = await o.measure('recon cycle, nothing changed', cycle, check);

  const n = o.touched.toLocaleString('en');
  const scenarios: Array<[string, () => Promise<void>]> = [
    [changedOrdersLabel(o.touched), () => touch('orders', TOUCH_ORDERS, o.touched)],
    [
      `recon cycle, ${n} orders + ${n} dispatches changed`,
      async () => {
        await touch('orders', TOUCH_ORDERS, o.touched);
        await touch('dispatch', TOUCH_DISPATCHES, o.touched);
      },
    ],
  ];
  const results: Record<string, Measured[]> = Object.fromEntries(scenarios.map(([label]) => [label, []]));
  for (let round = 0; round < o.rounds; round += 1) {
    o.log(`incremental, round ${round + 1} of ${o.rounds}`);
    for (const [label, prepare] of round % 2 === 0 ? scenarios : [...scenarios].reverse()) {
      await prepare();
      results[label]!.push(await o.measure(label, cycle, check));
    }
  }
  return { first, idle, scenarios: results };
}

/**
 * Touches rows on a connection of its own that closes at once: a backend flushes its table statistics when it exits,
 * so the rows this UPDATE scans are never counted against the cycle measured next.
 */
async function touch(database: 'orders' | 'dispatch', sql: string, count: number) {
  const client = new pg.Client({ connectionString: benchUrl(database) });
  await client.connect();
  try {
    const { rowCount } = await client.query(sql, [count]);
    if (rowCount !== count) throw new Error(`touched ${rowCount} rows, wanted ${count}`);
  } finally {
    await client.end();
  }
}
