import { totalRows } from '../counting-ports.ts';
import { createReconContext } from './recon-context.ts';

/** Recon's full sweep with the default configuration; its findings land in the bench store for checking. */
export async function runReconSweep() {
  const recon = createReconContext();
  try {
    await recon.warmUp();
    const startedAt = performance.now();
    const report = await recon.engine.runSweep(new Date());
    const seconds = (performance.now() - startedAt) / 1000;
    recon.assertNoFailure();
    if (!report.complete) throw new Error('the sweep did not complete');
    return {
      seconds,
      rowsCompared: report.ordersScanned + report.dispatchGroupsScanned,
      details: { report, portStats: recon.stats, storeStats: recon.storeStats, portRows: totalRows(recon.stats) },
    };
  } finally {
    await recon.close();
  }
}
