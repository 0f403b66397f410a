import type { SourceHealth } from '../api/types.ts';
import { formatAge } from './format.ts';

/** Recon's default cycle and broker poll interval, when the overview does not say (`pollIntervalSeconds`). */
export const DEFAULT_POLL_INTERVAL_SECONDS = 5;
/** Three missed polls: one late poll is load, three is a stopped poller or a source that cannot be read. */
export const STALE_AFTER_POLLS = 3;

/**
 * Why the numbers on screen may not be current, in words, one reason per line; empty when everything is fresh.
 * `nowMs` is the server's clock (the overview's `at` plus the time since it arrived), so a skewed laptop clock does
 * not raise or hide the banner.
 */
export function staleReasons(input: {
  sources: readonly SourceHealth[];
  nowMs: number;
  pollIntervalSeconds?: number;
  /** How long ago the overview itself was produced (live updates may have stopped). */
  overviewAgeSeconds: number;
}): string[] {
  const staleAfterSeconds = STALE_AFTER_POLLS * (input.pollIntervalSeconds ?? DEFAULT_POLL_INTERVAL_SECONDS);
  const reasons: string[] = [];
  if (input.overviewAgeSeconds > staleAfterSeconds)
    reasons.push(`This page has not been updated for ${formatAge(input.overviewAgeSeconds)}.`);
  for (const source of input.sources) {
    const age = lastSuccessAgeSeconds(source, input.nowMs);
    if (!source.up) {
      const since = age === null ? 'never read successfully' : `last read ${formatAge(age)} ago`;
      reasons.push(`${source.source} is down (${since})${source.lastError ? `: ${source.lastError}` : ''}`);
    } else if (age === null) {
      reasons.push(`${source.source} has never been read successfully.`);
    } else if (age > staleAfterSeconds) {
      reasons.push(`${source.source} was last read ${formatAge(age)} ago.`);
    }
  }
  return reasons;
}

export function lastSuccessAgeSeconds(source: SourceHealth, nowMs: number): number | null {
  if (!source.lastSuccessAt) return null;
  const at = Date.parse(source.lastSuccessAt);
  return Number.isNaN(at) ? null : Math.max(0, (nowMs - at) / 1000);
}
