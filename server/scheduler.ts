import type { Logger } from 'pino';
import { type CycleReport, runIncrementalCycle } from '../reconcilers/cycle.ts';
import { runFullSweep, type SweepReport } from '../reconcilers/full-sweep.ts';
import type { JudgeContext } from '../reconcilers/judge.ts';
import type { DispatchPort, OrdersPort } from '../reconcilers/types.ts';
import type { ReconConfig } from './config.ts';
import type { SourceHealthTracker } from './source-health.ts';
import type { ReconStore } from './store/types.ts';

export interface SchedulerDeps {
  config: Pick<ReconConfig, 'pollIntervalMs' | 'sweepIntervalMs' | 'graceMs' | 'overlapMs' | 'pageSize'>;
  orders: OrdersPort;
  dispatch: DispatchPort;
  store: ReconStore;
  health: SourceHealthTracker;
  log: Logger;
  isLeader(): boolean;
  onCycle?(report: CycleReport, durationSeconds: number): void;
  onSweep?(report: SweepReport, durationSeconds: number): void;
  observeOrderToDispatch?(seconds: number): void;
  clock?: () => Date;
}

export interface Scheduler {
  /** Runs one incremental cycle now (tests, and the first cycle at start). */
  runCycle(): Promise<CycleReport>;
  runSweep(): Promise<SweepReport>;
  stop(): Promise<void>;
}

/**
 * Runs the incremental cycle every poll interval and the full sweep on its slower schedule, only while this replica
 * is the leader, one run at a time: a slow cycle delays the next instead of piling up behind it.
 */
export function startScheduler(deps: SchedulerDeps): Scheduler {
  const { config, log, health, store } = deps;
  const clock = deps.clock ?? (() => new Date());
  let isRunning = true;
  // The first cycle (no watermark yet) reads every row, so the first sweep can wait for its interval.
  let lastSweepAt = Date.now();
  let current: Promise<unknown> = Promise.resolve();

  const context = (): JudgeContext => ({
    orders: deps.orders,
    dispatch: deps.dispatch,
    store,
    now: clock(),
    graceMs: config.graceMs,
    overlapMs: config.overlapMs,
    pageSize: config.pageSize,
    reportSuccess: (side) => health.success(side),
    reportFailure: (side, error) => health.failure(side, error),
    observeOrderToDispatch: deps.observeOrderToDispatch,
  });

  const exclusive = <T>(run: () => Promise<T>): Promise<T> => {
    const next = current.then(run, run);
    current = next.catch(() => {});
    return next;
  };

  const runCycle = () =>
    exclusive(async () => {
      const startedAt = performance.now();
      const report = await runIncrementalCycle(context());
      await persistHealth();
      deps.onCycle?.(report, (performance.now() - startedAt) / 1000);
      return report;
    });

  const runSweep = () =>
    exclusive(async () => {
      const startedAt = performance.now();
      const report = await runFullSweep(context());
      lastSweepAt = Date.now();
      deps.onSweep?.(report, (performance.now() - startedAt) / 1000);
      return report;
    });

  const persistHealth = async () => {
    try {
      for (const h of health.snapshot()) await store.recordSourceHealth(h);
      health.success('recon');
    } catch (error) {
      health.failure('recon', error as Error);
    }
  };

  const loop = (async () => {
    while (isRunning) {
      if (deps.isLeader()) {
        try {
          const report = await runCycle();
          log.debug(report, 'cycle');
          if (Date.now() - lastSweepAt >= config.sweepIntervalMs) {
            const sweep = await runSweep();
            log.info(sweep, 'full sweep');
          }
        } catch (error) {
          // The store itself failed (the sources report their own failures as unknown verdicts).
          health.failure('recon', error as Error);
          log.warn({ err: (error as Error).message }, 'reconciliation cycle failed');
        }
      }
      await new Promise((resolve) => setTimeout(resolve, config.pollIntervalMs));
    }
  })();

  return {
    runCycle,
    runSweep,
    async stop() {
      isRunning = false;
      await loop;
    },
  };
}
