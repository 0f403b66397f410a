import { totalRows } from '../counting-ports.ts';
import { benchPool } from '../databases.ts';
import { createTupleCounter } from '../db-stats.ts';
import { touchRows } from '../touch.ts';
import { createReconContext } from './recon-context.ts';

/** Grace 0 and overlap 0, so a cycle's window is exactly "changed since the last cycle". */
const CYCLE_ENV = { RECON_GRACE_SECONDS: '0', RECON_OVERLAP_SECONDS: '0' };

/**
 * One incremental cycle. Cold (the default): the rows were changed before this process started, and the cycle is
 * its first. Warm (`warmUpCycles` > 0): as in a running Recon at this change rate, which runs a cycle every few
 * seconds in one long-lived process: this process first runs that many cycles, each after changing as many
 * random rows (`touchOrders`, `touchDispatches`), then changes rows once more and measures its next cycle, counting
 * the tuples the databases read for that cycle alone. `recheckEveryCycle` (1): every cycle, the measured one
 * included, re-checks the open findings, as a cycle whose re-check interval is up does.
 */
export async function runReconCycle(options: Record<string, number>) {
  const recon = createReconContext(CYCLE_ENV, { recheckEveryCycle: options.recheckEveryCycle === 1 });
  try {
    await recon.warmUp();
    const warmUpCycles = options.warmUpCycles ?? 0;
    if (warmUpCycles === 0) return await measureCycle(recon);
    const touch = { orders: options.touchOrders ?? 0, dispatches: options.touchDispatches ?? 0 };
    for (let i = 0; i < warmUpCycles; i += 1) {
      await touchRows(touch);
      await recon.engine.runCycle(new Date());
    }
    await recon.flushStatistics();
    recon.resetStats();
    await touchRows(touch);
    const pools = { orders: benchPool('orders'), dispatch: benchPool('dispatch') };
    try {
      const { result, tuplesRead } = await createTupleCounter(pools).measure(async () => {
        const result = await measureCycle(recon);
        await recon.flushStatistics();
        return result;
      });
      return { ...result, tuplesRead };
    } finally {
      await Promise.all([pools.orders.end(), pools.dispatch.end()]);
    }
  } finally {
    await recon.close();
  }
}

async function measureCycle(recon: ReturnType<typeof createReconContext>) {
  const startedAt = performance.now();
  const report = await recon.engine.runCycle(new Date());
  const seconds = (performance.now() - startedAt) / 1000;
  recon.assertNoFailure();
  if (!report.fresh.orders || !report.fresh.dispatch) throw new Error('the cycle could not read a side fresh');
  return {
    seconds,
    rowsCompared: report.rowsRead.orders + report.rowsRead.dispatches,
    details: { report, portStats: recon.stats, storeStats: recon.storeStats, portRows: totalRows(recon.stats) },
  };
}
