import type { Logger } from 'pino';
import type { DatabaseEngine } from '../reconcilers/engine/database-engine.ts';
import type { DeadLetterJudging } from '../reconcilers/engine/dead-letter-judging.ts';
import type { SweepReport } from '../reconcilers/engine/full-sweep.ts';
import type { CycleReport } from '../reconcilers/engine/incremental-cycle.ts';
import { startPeriodic } from './periodic.ts';
import type { SourceHealthTracker } from './source-health.ts';
import type { ReconStore } from './store/types.ts';

export interface SchedulerDeps {
  pollIntervalMs: number;
  sweepIntervalMs: number;
  engine: DatabaseEngine;
  deadLetters: DeadLetterJudging;
  store: Pick<ReconStore, 'recordSourceHealth'>;
  health: SourceHealthTracker;
  log: Logger;
  isLeader(): boolean;
  onCycle?(report: CycleReport, durationSeconds: number): void;
  onSweep?(report: SweepReport, durationSeconds: number): void;
  clock?: () => Date;
}

export interface Scheduler {
  /** Runs one incremental cycle now (tests, and the first cycle at start). */
  runCycle(): Promise<CycleReport>;
  runSweep(): Promise<SweepReport>;
  stop(): Promise<void>;
}

/**
 * On the leader, every poll interval: the incremental cycle, the dead letters' open findings re-checked, and the
 * full sweep when its slower interval is up. One run at a time, whoever asks: a slow cycle delays the next instead
 * of piling up behind it. A replica that becomes the leader starts from what the store holds, not from what it
 * knew when it last led.
 */
export function startScheduler(deps: SchedulerDeps): Scheduler {
  const { engine, log, health } = deps;
  const clock = deps.clock ?? (() => new Date());
  // The first cycle (no watermark yet) reads every row, so the first sweep can wait for its interval.
  let lastSweepAt = Date.now();
  let wasLeader = false;
  let current: Promise<unknown> = Promise.resolve();

  const exclusive = <T>(run: () => Promise<T>): Promise<T> => {
    const next = current.then(run, run);
    current = next.catch(() => {});
    return next;
  };

  const runCycle = () =>
    exclusive(async () => {
      const startedAt = performance.now();
      const report = await engine.runCycle(clock());
      await persistHealth();
      deps.onCycle?.(report, (performance.now() - startedAt) / 1000);
      return report;
    });

  const runSweep = () =>
    exclusive(async () => {
      const startedAt = performance.now();
      const report = await engine.runSweep(clock());
      lastSweepAt = Date.now();
      deps.onSweep?.(report, (performance.now() - startedAt) / 1000);
      return report;
    });

  const persistHealth = async () => {
    try {
      for (const h of health.snapshot()) await deps.store.recordSourceHealth(h);
      health.success('recon');
    } catch (error) {
      health.failure('recon', error as Error);
    }
  };

  const task = startPeriodic({
    name: 'reconciliation',
    intervalMs: deps.pollIntervalMs,
    isDue: () => {
      const isLeader = deps.isLeader();
      if (isLeader && !wasLeader) engine.reset();
      wasLeader = isLeader;
      return isLeader;
    },
    async run() {
      try {
        log.debug(await runCycle(), 'cycle');
        await deps.deadLetters.recheckOpen(clock());
        if (Date.now() - lastSweepAt >= deps.sweepIntervalMs) log.info(await runSweep(), 'full sweep');
      } catch (error) {
        // Recon's own store failed (the sources report their own failures as unknown verdicts).
        health.failure('recon', error as Error);
        throw error;
      }
    },
    log,
  });

  return { runCycle, runSweep, stop: () => task.stop() };
}
