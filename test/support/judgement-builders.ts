import { createFindingsWriter } from '../../reconcilers/engine/findings-writer.ts';
import type { FindingsPort } from '../../reconcilers/ports/findings-store.ts';
import { KINDS } from '../../reconcilers/registry.ts';
import type { Judgement } from '../../reconcilers/vocabulary.ts';

/** A fixed clock far from now, so store tests never depend on the wall clock. */
export const T0 = new Date('2030-01-01T00:00:00.000Z');
export const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

export const makeJudgement = (overrides: Partial<Judgement> = {}): Judgement =>
  ({
    kind: 'order-without-dispatch',
    key: 'order-1',
    verdict: 'mismatch',
    severity: 'warning',
    evidence: {},
    ...overrides,
  }) as Judgement;

/**
 * Writes judgements as the engines do, through a findings writer; a fresh one per call knows nothing in advance and
 * asks the store about each finding, so what it sends follows the store's actual state.
 */
export const writeJudgements = (store: FindingsPort, judgements: readonly Judgement[], now: Date) =>
  createFindingsWriter(store, KINDS).apply(judgements, now);
