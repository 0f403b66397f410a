// The words every kind and every engine shares. No driver, and no kind, is imported here.

/** Three-valued: a side that could not be read fresh makes a verdict `unknown`, which neither opens nor resolves. */
export type Verdict = 'mismatch' | 'ok' | 'unknown';
export type Severity = 'critical' | 'warning' | 'info';
export type FindingState = 'open' | 'resolved';

/** What a reconciler concluded about one key in one cycle. Only a mismatch has evidence: the facts behind it. */
export type Judgement<K extends string = string, E = unknown> =
  | { kind: K; key: string; verdict: 'mismatch'; severity: Severity; evidence: E }
  | { kind: K; key: string; verdict: 'ok' | 'unknown'; severity: Severity };

/** Which order and which message a finding is about, whatever its kind: how search and an order's timeline find it. */
export interface FindingSubjects {
  orderId: string | null;
  messageId: string | null;
}

/** Stable across cycles, so a finding is opened once and resolved once. */
export const findingId = (kind: string, key: string) => `${kind}:${key}`;

/** The judgement builders of one kind, so a detect reads as its rule: `judge.ok(key)`, `judge.mismatch(key, e)`. */
export function judgementsOf<K extends string, E>(kind: K, severity: Severity) {
  return {
    ok: (key: string): Judgement<K, E> => ({ kind, key, verdict: 'ok', severity }),
    unknown: (key: string): Judgement<K, E> => ({ kind, key, verdict: 'unknown', severity }),
    mismatch: (key: string, evidence: E): Judgement<K, E> => ({ kind, key, verdict: 'mismatch', severity, evidence }),
  };
}
