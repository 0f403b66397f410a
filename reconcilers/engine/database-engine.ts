import type { GraceSettings, ReconcilerReading } from '../define-kind.ts';
import type { DispatchPort, OrdersPort, OutboxPort } from '../ports/business-db.ts';
import type { FindingsPort, WatermarkPort } from '../ports/findings-store.ts';
import { createFindingsWriter } from './findings-writer.ts';
import { runFullSweep, type SweepReport } from './full-sweep.ts';
import { createHeldWatermarks } from './held-watermarks.ts';
import { type CycleReport, runIncrementalCycle } from './incremental-cycle.ts';
import type { DatabaseEngineContext, SourceHealthPort } from './judge-orders.ts';

export interface DatabaseEngineDeps {
  orders: OrdersPort;
  dispatch: DispatchPort;
  outbox: OutboxPort | null;
  orderKinds: readonly ReconcilerReading<'order-dispatch'>[];
  referenceKinds: readonly ReconcilerReading<'order-references'>[];
  outboxKinds: readonly ReconcilerReading<'outbox'>[];
  slots: DatabaseEngineContext['slots'];
  store: FindingsPort & WatermarkPort;
  settings: GraceSettings;
  overlapMs: number;
  pageSize: number;
  /**
   * How often a cycle re-judges the open findings no changed row brought. A fix changes a row, and a changed row is
   * judged in the next cycle whatever this is; what only a re-check (or the full sweep) sees is a row deleted or a
   * clock edge. Re-checking every cycle would make a quiet cycle's cost follow the open findings, not the changes.
   */
  recheckIntervalMs: number;
  health: SourceHealthPort;
  observeOrderToDispatch?(seconds: number): void;
}

export interface DatabaseEngine {
  runCycle(now: Date): Promise<CycleReport>;
  runSweep(now: Date): Promise<SweepReport>;
  /** This replica just became the leader: what it knew of the findings may be another leader's past. */
  reset(): void;
}

/**
 * The incremental cycle and the full sweep over the two business databases, sharing one findings writer that holds
 * the open findings across runs (read again at each re-check, after a failed write, and after `reset`) and the
 * watermarks, held likewise. Runs must not overlap: the caller runs one at a time.
 */
export function createDatabaseEngine(deps: DatabaseEngineDeps): DatabaseEngine {
  const watermarks = createHeldWatermarks(deps.store);
  const ctx: DatabaseEngineContext = {
    ...deps,
    findings: createFindingsWriter(deps.store, [
      ...deps.orderKinds,
      ...deps.referenceKinds,
      ...deps.outboxKinds,
      ...(deps.slots?.kinds ?? []),
    ]),
    watermarks,
  };
  let lastRecheckAt: number | null = null;
  return {
    async runCycle(now) {
      const recheck = lastRecheckAt === null || now.getTime() - lastRecheckAt >= deps.recheckIntervalMs;
      const report = await runIncrementalCycle(ctx, { now, recheck });
      if (recheck) lastRecheckAt = now.getTime();
      return report;
    },
    runSweep: (now) => runFullSweep(ctx, now),
    reset() {
      ctx.findings.forget();
      watermarks.forget();
      lastRecheckAt = null;
    },
  };
}
