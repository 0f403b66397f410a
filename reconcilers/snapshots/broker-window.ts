import type { BrokerSettings } from '../define-kind.ts';
import type { BrokerPoll, SuccessfulPoll } from './broker-polls.ts';

/** The broker refreshes its statistics every `collect_statistics_interval`, 5 s by default. */
export const STATISTICS_INTERVAL_MS = 5_000;
/**
 * Polls closer together than a statistics refresh may all read the same sample (seen: five polls a second apart,
 * one sample). A window must span one refresh plus a margin for the broker's emission jitter, so that its first and
 * last polls read different samples; only then does "nothing moved" mean something.
 */
export const MIN_WINDOW_MS = STATISTICS_INTERVAL_MS * 1.5;

export interface BrokerWindow {
  latest: SuccessfulPoll;
  /** The trailing run of successful polls, oldest first (a failed poll breaks "consecutive"). */
  run: SuccessfulPoll[];
  /**
   * The last `stuckPolls` polls of the run, widened back until they span MIN_WINDOW_MS; undefined while the
   * run is too short to judge (just started, or just recovered from a failed poll).
   */
  window: SuccessfulPoll[] | undefined;
}

/** Undefined when the latest poll failed or is stale: then every broker verdict is `unknown`. */
export function toBrokerWindow(
  polls: readonly BrokerPoll[],
  now: Date,
  settings: BrokerSettings,
): BrokerWindow | undefined {
  const latest = polls.at(-1);
  if (!latest?.ok || now.getTime() - latest.at.getTime() > settings.staleAfterMs) return undefined;
  const run: SuccessfulPoll[] = [];
  for (let i = polls.length - 1; i >= 0; i--) {
    const poll = polls[i]!;
    if (!poll.ok) break;
    run.unshift(poll);
  }
  const spanMs = (i: number) => latest.at.getTime() - run[i]!.at.getTime();
  let start = run.length - settings.stuckPolls;
  while (start > 0 && spanMs(start) < MIN_WINDOW_MS) start--;
  const isLongEnough = start >= 0 && spanMs(start) >= MIN_WINDOW_MS;
  return { latest, run, window: isLongEnough ? run.slice(start) : undefined };
}

/**
 * Whether a cumulative counter went up between any two consecutive values. A counter appears with its first
 * activity, so a value missing before the first one present was zero; one missing after it means the broker stopped
 * reporting it, and then nothing can be told (undefined), as when it was never reported at all.
 * Only an increase is progress: a queue's counters drop when a channel that contributed to them closes.
 */
export function hasIncreased(values: ReadonlyArray<number | undefined>): boolean | undefined {
  const first = values.findIndex((v) => v !== undefined);
  if (first === -1 || values.slice(first).some((v) => v === undefined)) return undefined;
  const counts = values.map((v) => v ?? 0);
  return counts.some((v, i) => i > 0 && v > counts[i - 1]!);
}

/** How far back (in the run) a condition has held without a break: the start of the current episode. */
export function heldSince(run: readonly SuccessfulPoll[], holds: (poll: SuccessfulPoll) => boolean): Date | undefined {
  let since: Date | undefined;
  for (let i = run.length - 1; i >= 0 && holds(run[i]!); i--) since = run[i]!.at;
  return since;
}
