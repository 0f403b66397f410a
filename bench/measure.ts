import type pg from 'pg';
import { runInChild } from './child.ts';
import { createTupleCounter } from './db-stats.ts';
import type { Exactness } from './expected.ts';
import type { ContestantRequest, ContestantResult } from './protocol.ts';

/** One contestant run as the report shows it. */
export interface Measured {
  label: string;
  result: ContestantResult;
  /** Tuples the databases read from `orders` and `dispatches` during the run (pg_stat, both databases). */
  tuplesRead: number;
  /** Wall time of the child process, start-up included. */
  processSeconds: number;
  exactness: Exactness;
}

export function createMeasurer(pools: { orders: pg.Pool; dispatch: pg.Pool }, log: (line: string) => void) {
  const tuples = createTupleCounter(pools);
  return async function measure(
    label: string,
    request: ContestantRequest,
    check: (result: ContestantResult) => Promise<Exactness> | Exactness,
  ): Promise<Measured> {
    const { result: run, tuplesRead } = await tuples.measure(async () => {
      const startedAt = performance.now();
      const result = await runInChild(request);
      return { result, processSeconds: (performance.now() - startedAt) / 1000 };
    });
    const { result, processSeconds } = run;
    const exactness = await check(result);
    const measured = { label, result, tuplesRead: result.tuplesRead ?? tuplesRead, processSeconds, exactness };
    log(
      `  ${label}: ${result.seconds.toFixed(2)} s, peak RSS ${(result.peakRssBytes / 2 ** 20).toFixed(0)} MB, ` +
        `${Math.round(measured.tuplesRead).toLocaleString('en')} tuples read, exact: ${exactness.isExact ? 'yes' : 'NO'}`,
    );
    return measured;
  };
}
