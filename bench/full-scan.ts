import type pg from 'pg';
import { compare, type Exactness, type Expected } from './expected.ts';
import type { createMeasurer, Measured } from './measure.ts';
import type { ContestantRequest, ContestantResult } from './protocol.ts';
import { checkReconStore, clearReconStore } from './recon-answer.ts';

export interface FullScanOptions {
  measure: ReturnType<typeof createMeasurer>;
  expected: Expected;
  recon: pg.Pool;
  rounds: number;
  /** Orders (and as many dispatches) the sampled per-row baseline looks up one by one. */
  sampleSize: number;
  /** Also run the per-row baseline over every row, to validate the extrapolation. */
  isPerRowFull: boolean;
  log: (line: string) => void;
}

export const SWEEP = 'recon full sweep';
export const PER_ROW = 'baseline per-row';
export const PER_ROW_FULL = 'baseline per-row (every row)';
export const IN_MEMORY = 'baseline in-memory';

export type FullScanResults = Record<string, Measured[]>;

type Check = (result: ContestantResult) => Promise<Exactness> | Exactness;

/**
 * Every full-scan contestant, each in a fresh child process, round after round with the order reversed every other
 * round, so none always runs first against a cold cache.
 */
export async function runFullScans(o: FullScanOptions): Promise<FullScanResults> {
  const byAnswer = (result: ContestantResult) => compare(result.found!, o.expected);
  const bySample = (result: ContestantResult) => {
    const sampled = result.details.sampled as { orders: string[]; dispatchOrders: string[] };
    const orders = new Set(sampled.orders);
    const dispatchOrders = new Set(sampled.dispatchOrders);
    // Only the ids the sample looked at can be found; the check is exact on those.
    delete result.details.sampled;
    return compare(result.found!, {
      missing: o.expected.missing.filter((id) => orders.has(id)),
      orphans: o.expected.orphans.filter((id) => dispatchOrders.has(id)),
    });
  };
  const sampleRate = Math.min(1, o.sampleSize / o.expected.orders);
  const contestants: Array<[string, ContestantRequest, Check]> = [
    [SWEEP, { name: 'recon-sweep', options: {} }, () => checkReconStore(o.recon, o.expected)],
    [PER_ROW, { name: 'per-row', options: { sampleRate, seed: 1 } }, sampleRate < 1 ? bySample : byAnswer],
    [IN_MEMORY, { name: 'in-memory', options: {} }, byAnswer],
  ];
  if (o.isPerRowFull && sampleRate < 1)
    contestants.push([PER_ROW_FULL, { name: 'per-row', options: { sampleRate: 1 } }, byAnswer]);

  const results: FullScanResults = Object.fromEntries(contestants.map(([label]) => [label, []]));
  for (let round = 0; round < o.rounds; round += 1) {
    o.log(`full scan, round ${round + 1} of ${o.rounds}`);
    const order = round % 2 === 0 ? contestants : [...contestants].reverse();
    for (const [label, request, check] of order) {
      if (request.name === 'recon-sweep') await clearReconStore(o.recon);
      const seed = { ...request, options: { ...request.options, seed: round + 1 } };
      results[label]!.push(await o.measure(label, seed, check));
    }
  }
  return results;
}
