import { ApiError } from './api-error.ts';

/**
 * A token bucket per key (a user name, a client address), in this replica's memory: `perMinute` at once, refilled
 * evenly over a minute. Enough to stop a stuck script or a key held down from firing hundreds of repairs; several replicas each
 * allow their own share.
 */
/** Past this many keys, buckets that have refilled are forgotten (at most once per PRUNE_EVERY_MS)... */
const PRUNE_ABOVE_KEYS = 10_000;
const PRUNE_EVERY_MS = 5_000;
/** ...and past this many, the oldest keys go too: memory stays bounded whatever addresses and names arrive. */
const MAX_KEYS = 100_000;

export function createRateLimiter({ perMinute, now = Date.now }: { perMinute: number; now?: () => number }) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refillPerMs = perMinute / 60_000;
  let prunedAt = Number.NEGATIVE_INFINITY;
  // A bucket is refilled only when its key comes back, so its stored tokens say nothing of now: refill, then judge.
  const prune = (t: number) => {
    if (buckets.size <= PRUNE_ABOVE_KEYS || t - prunedAt < PRUNE_EVERY_MS) return;
    prunedAt = t;
    for (const [key, bucket] of buckets)
      if (bucket.tokens + (t - bucket.at) * refillPerMs >= perMinute) buckets.delete(key);
    for (const key of buckets.keys()) {
      if (buckets.size <= MAX_KEYS) break;
      buckets.delete(key);
    }
  };
  const current = (key: string, t: number) => {
    const bucket = buckets.get(key) ?? { tokens: perMinute, at: t };
    bucket.tokens = Math.min(perMinute, bucket.tokens + (t - bucket.at) * refillPerMs);
    bucket.at = t;
    return bucket;
  };
  const secondsUntilOne = (tokens: number) => Math.ceil((1 - tokens) / refillPerMs / 1000);
  return {
    /** Takes one token for `key`; when none is left, how many seconds until one is. */
    take(key: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
      const t = now();
      const bucket = current(key, t);
      // A full bucket is the default: forgotten, so the map holds only keys that are actually limited.
      prune(t);
      if (bucket.tokens < 1) {
        buckets.set(key, bucket);
        return { ok: false, retryAfterSeconds: secondsUntilOne(bucket.tokens) };
      }
      bucket.tokens -= 1;
      buckets.set(key, bucket);
      return { ok: true };
    },
    /** Seconds until `key` has a token again, or 0 when it has one now; takes nothing. */
    secondsToWait(key: string): number {
      const bucket = buckets.get(key);
      if (!bucket) return 0;
      const { tokens } = current(key, now());
      return tokens < 1 ? secondsUntilOne(tokens) : 0;
    },
    /** Keys held now: only the limited ones, once pruned. */
    keyCount: () => buckets.size,
    /** Returns a token taken for what turned out not to count (a right password, a check refused as busy). */
    giveBack(key: string): void {
      const bucket = buckets.get(key);
      if (bucket) bucket.tokens = Math.min(perMinute, bucket.tokens + 1);
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;

/** The 429 of a limiter's refusal: `what` there were too many of, and when to try again. */
export const tooMany = (what: string, retryAfterSeconds: number) =>
  new ApiError(429, `too many ${what}: try again in ${retryAfterSeconds} s`, {
    headers: { 'retry-after': String(retryAfterSeconds) },
  });
