import { runIncrementalCycle } from '../../reconcilers/cycle.ts';
import { totalRows } from '../counting-ports.ts';
import { createReconContext } from './recon-context.ts';

/** One incremental cycle with grace 0 and overlap 0, so its window is exactly "changed since the last cycle". */
export async function runReconCycle() {
  const recon = createReconContext({ RECON_GRACE_SECONDS: '0', RECON_OVERLAP_SECONDS: '0' });
  try {
    await recon.warmUp();
    const startedAt = performance.now();
    const report = await runIncrementalCycle(recon.context());
    const seconds = (performance.now() - startedAt) / 1000;
    recon.assertNoFailure();
    if (!report.fresh.orders || !report.fresh.dispatch) throw new Error('the cycle could not read a side fresh');
    return {
      seconds,
      rowsCompared: report.rowsRead.orders + report.rowsRead.dispatches,
      details: { report, portStats: recon.stats, storeStats: recon.storeStats, portRows: totalRows(recon.stats) },
    };
  } finally {
    await recon.close();
  }
}
