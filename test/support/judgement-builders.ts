import type { Judgement } from '../../reconcilers/types.ts';

/** A fixed clock far from now, so store tests never depend on the wall clock. */
export const T0 = new Date('2030-01-01T00:00:00.000Z');
export const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

export const makeJudgement = (overrides: Partial<Judgement> = {}): Judgement => ({
  kind: 'order-without-dispatch',
  key: 'order-1',
  verdict: 'mismatch',
  severity: 'warning',
  ...overrides,
});
