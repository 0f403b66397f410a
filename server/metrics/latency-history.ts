/**
 * Order → dispatch latency per minute, for the overview's chart: the Prometheus histogram answers "what is p95 over
 * the last hour" only to someone with a Prometheus. Each minute keeps a uniform sample (reservoir) of at most
 * SAMPLE_SIZE observations, so a minute of 100k dispatches costs no more memory than one of 500.
 */
const SAMPLE_SIZE = 500;
const MINUTE_MS = 60_000;

export interface LatencyPoint {
  at: Date;
  count: number;
  p50Seconds: number | null;
  p95Seconds: number | null;
}

export function createLatencyHistory({ keepMinutes = 24 * 60, random = Math.random } = {}) {
  const minutes = new Map<number, { count: number; sample: number[] }>();
  return {
    observe(seconds: number, at: Date): void {
      const minute = Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS;
      let bucket = minutes.get(minute);
      if (!bucket) {
        bucket = { count: 0, sample: [] };
        minutes.set(minute, bucket);
        for (const key of minutes.keys()) if (key < minute - keepMinutes * MINUTE_MS) minutes.delete(key);
      }
      bucket.count += 1;
      if (bucket.sample.length < SAMPLE_SIZE) bucket.sample.push(seconds);
      else {
        const slot = Math.floor(random() * bucket.count);
        if (slot < SAMPLE_SIZE) bucket.sample[slot] = seconds;
      }
    },
    /** One point per minute that saw a dispatch, since `from`, oldest first. */
    since(from: Date): LatencyPoint[] {
      return [...minutes.entries()]
        .filter(([minute]) => minute >= from.getTime() - MINUTE_MS)
        .sort(([a], [b]) => a - b)
        .map(([minute, { count, sample }]) => {
          const sorted = [...sample].sort((a, b) => a - b);
          return { at: new Date(minute), count, p50Seconds: quantile(sorted, 0.5), p95Seconds: quantile(sorted, 0.95) };
        });
    },
  };
}

export type LatencyHistory = ReturnType<typeof createLatencyHistory>;

const quantile = (sorted: number[], q: number) =>
  sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
