import type { Logger } from 'pino';
import { sleep } from '../reconcilers/engine/async.ts';

export interface PeriodicOptions {
  /** Names the task in logs. */
  name: string;
  /** The wait after each run (or each skipped tick); a function when it changes, e.g. a backoff. */
  intervalMs: number | (() => number);
  /** One run. `signal` aborts when the task stops. */
  run(signal: AbortSignal): Promise<void>;
  /** Whether this replica runs it now (the leader's tasks): a tick where it does not only waits. */
  isDue?(): boolean;
  /** Wait one interval before the first run instead of running at once. */
  waitFirst?: boolean;
  log: Pick<Logger, 'warn'>;
}

export interface PeriodicTask {
  /** Runs now, or joins the run in flight: never two runs at once. */
  runNow(): Promise<void>;
  /** Ends the loop, waking it from its wait, and resolves once the run in flight (if any) has finished. */
  stop(): Promise<void>;
}

/**
 * The one shape of every loop in Recon: run, wait, run again, one run at a time, so a slow run delays the next
 * instead of piling up behind it. A run that throws is logged and the next tick tries again; a task that must
 * report its failures elsewhere (source health, a backoff) does so inside `run`.
 */
export function startPeriodic(options: PeriodicOptions): PeriodicTask {
  const { name, run, isDue = () => true, log } = options;
  const intervalMs = typeof options.intervalMs === 'number' ? () => options.intervalMs as number : options.intervalMs;
  const stopping = new AbortController();
  let inFlight: Promise<void> | undefined;

  const runNow = () => {
    inFlight ??= run(stopping.signal)
      .catch((error: Error) => log.warn({ err: error.message, task: name }, `${name} failed; the next run retries`))
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  const loop = (async () => {
    if (options.waitFirst) await sleep(intervalMs(), stopping.signal);
    while (!stopping.signal.aborted) {
      if (isDue()) await runNow();
      await sleep(intervalMs(), stopping.signal);
    }
  })();

  return {
    runNow,
    async stop() {
      stopping.abort();
      await loop;
      await inFlight;
    },
  };
}
