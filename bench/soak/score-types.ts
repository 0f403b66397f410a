import type { DisruptionRecord, Source } from './disruptions.ts';

/** One line of the score table: a failed line makes the soak exit non-zero. */
export interface ScoreLine {
  score: string;
  value: string;
  isPass: boolean;
  /** Shown under the table when the line failed (or informs). */
  detail?: string;
}

/** Which sources a finding kind reads: a finding of that kind must never open while one of them is away. */
export const KIND_SOURCES: Record<string, Source[]> = {
  'order-without-dispatch': ['orders-db', 'dispatch-db'],
  'dispatch-without-order': ['orders-db', 'dispatch-db'],
  // Judged from the dispatch side alone (reconcilers/kinds/duplicate-dispatch.ts): an orders outage does not blind it.
  'duplicate-dispatch': ['dispatch-db'],
  'stuck-outbox': ['orders-db'],
  'unconfirmed-publishes': ['management'],
  'unacked-stuck': ['management'],
  'dead-letter': ['broker'],
};

/** Ledger fault → the finding kind it must produce and which ledger column is the finding's key. */
export const EXPECTED: Record<string, { kind: string; keyColumn: 'order_id' | 'message_id' }> = {
  'lost-dispatch': { kind: 'order-without-dispatch', keyColumn: 'order_id' },
  'replenisher-down': { kind: 'dispatch-without-order', keyColumn: 'order_id' },
  'relay-crash-before-confirm': { kind: 'stuck-outbox', keyColumn: 'message_id' },
  'non-idempotent': { kind: 'duplicate-dispatch', keyColumn: 'order_id' },
  poison: { kind: 'dead-letter', keyColumn: 'message_id' },
};

/** A disruption's window, widened after its end by `afterMs` (what it leaves behind takes a while to drain). */
export function isWithin(at: Date, records: DisruptionRecord[], sources: Source[], afterMs = 0, beforeMs = 0) {
  return records.some(
    (r) =>
      r.sources.some((s) => sources.includes(s)) &&
      at.getTime() >= r.startedAt.getTime() + beforeMs &&
      at.getTime() <= (r.endedAt ?? new Date()).getTime() + afterMs,
  );
}

export function percentile(values: number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const seconds = (ms: number | undefined) => (ms === undefined ? '–' : `${(ms / 1000).toFixed(1)} s`);
