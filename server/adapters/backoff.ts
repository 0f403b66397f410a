const MIN_MS = 500;
const MAX_MS = 30_000;

export interface Backoff {
  /** Whether the next attempt may run now. */
  isDue(): boolean;
  /** Records a failure and returns how many happened in a row. */
  failed(): number;
  succeeded(): void;
}

/** Exponential backoff with jitter, so replicas retrying a broker that just came back do not arrive together. */
export function createBackoff({ minMs = MIN_MS, maxMs = MAX_MS } = {}): Backoff {
  let failures = 0;
  let dueAt = 0;
  return {
    isDue: () => Date.now() >= dueAt,
    failed() {
      failures += 1;
      dueAt = Date.now() + Math.min(maxMs, minMs * 2 ** (failures - 1)) * (0.5 + Math.random() / 2);
      return failures;
    },
    succeeded() {
      failures = 0;
      dueAt = 0;
    },
  };
}
