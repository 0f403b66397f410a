import type pg from 'pg';
import { createPgStore } from '../server/store/pg-store.ts';
import type { Expected } from './expected.ts';
import type { createMeasurer, Measured } from './measure.ts';
import type { ContestantRequest } from './protocol.ts';
import { checkReconStore } from './recon-answer.ts';
import { type Touch, touchRows } from './touch.ts';

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

/** The scenario the time target is judged on: a cycle as a running Recon runs it. */
export const changedOrdersLabel = (touched: number) =>
  `recon cycle in a running Recon, ${touched.toLocaleString('en')} orders changed`;
export const coldChangedOrdersLabel = (touched: number) =>
  `recon cycle in a fresh process, ${touched.toLocaleString('en')} orders changed`;
/** The same cycle when its re-check of the open findings is due (once every RECON_RECHECK_INTERVAL_SECONDS). */
export const recheckLabel = (touched: number) =>
  `recon cycle in a running Recon with the re-check due, ${touched.toLocaleString('en')} orders changed`;

/** Cycles a warm run runs, each after its own changes, before the measured one (a running Recon has run many). */
const WARM_UP_CYCLES = 3;

/**
 * The incremental cycle on top of the sweep's findings: watermarks first (a real first cycle, or set to now), one
 * cycle with nothing changed, then rounds of "change N rows, run one cycle", each both in a fresh process (the
 * rows changed before it started; its first cycle is measured, code not yet compiled by the JIT, connections new)
 * and in a warm one (it runs cycles on changes of its own first, as a running Recon has, then changes the rows and
 * measures its next cycle). Every cycle must leave the store with exactly the expected findings: touching a row
 * changes no answer.
 */
export async function runIncremental(o: IncrementalOptions): Promise<IncrementalResults> {
  const cold = { name: 'recon-cycle', options: {} } as const;
  const check = () => checkReconStore(o.recon, o.expected);
  let first: Measured | undefined;
  if (o.isFirstCycleRun) {
    o.log('incremental: first cycle from an empty watermark (reads every row)');
    await o.recon.query('TRUNCATE watermarks');
    first = await o.measure('recon first cycle (empty watermark)', cold, check);
  } else {
    const store = createPgStore(o.recon);
    const now = new Date();
    await store.setWatermark('orders', now);
    await store.setWatermark('dispatches', now);
  }
  o.log('incremental: a cycle with no changed rows');
  const idle = await o.measure('recon cycle in a fresh process, nothing changed', cold, check);

  const n = o.touched.toLocaleString('en');
  const both = `${n} orders + ${n} dispatches changed`;
  const touches: Array<[string, string, Touch]> = [
    [coldChangedOrdersLabel(o.touched), changedOrdersLabel(o.touched), { orders: o.touched, dispatches: 0 }],
    [
      `recon cycle in a fresh process, ${both}`,
      `recon cycle in a running Recon, ${both}`,
      { orders: o.touched, dispatches: o.touched },
    ],
  ];
  const scenarios: Array<[string, ContestantRequest, Touch | null]> = touches.flatMap(
    ([coldLabel, warmLabel, touch]) => [
      [coldLabel, cold, touch] as const,
      [
        warmLabel,
        {
          name: 'recon-cycle',
          options: { warmUpCycles: WARM_UP_CYCLES, touchOrders: touch.orders, touchDispatches: touch.dispatches },
        },
        null, // the warm child changes the rows itself, after its warm-up
      ] as const,
    ],
  );
  scenarios.push([
    recheckLabel(o.touched),
    {
      name: 'recon-cycle',
      options: { warmUpCycles: WARM_UP_CYCLES, touchOrders: o.touched, touchDispatches: 0, recheckEveryCycle: 1 },
    },
    null,
  ]);
  const results: Record<string, Measured[]> = Object.fromEntries(scenarios.map(([label]) => [label, []]));
  for (let round = 0; round < o.rounds; round += 1) {
    o.log(`incremental, round ${round + 1} of ${o.rounds}`);
    for (const [label, request, touch] of round % 2 === 0 ? scenarios : [...scenarios].reverse()) {
      if (touch) await touchRows(touch);
      results[label]!.push(await o.measure(label, request, check));
    }
  }
  return { first, idle, scenarios: results };
}
