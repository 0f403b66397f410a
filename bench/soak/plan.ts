import type { FaultRates } from '../../demo/faults.ts';

/** All seven faults, at rates that give a few hundred ledger entries in a 20-minute run at 20 orders/s. */
export const FAULTS: FaultRates = {
  'publish-then-rollback': 0.02,
  'replenisher-down': 0.3,
  'relay-crash-before-confirm': 0.006,
  'consumer-crash-before-ack': 0.01,
  poison: 0.004,
  'non-idempotent': 0.004,
  'lost-dispatch': 0.006,
};

const TRAFFIC_SHARE = 0.65;
const MIN_HOLD_MS = 8_000;
const MAX_HOLD_MS = 60_000;

export interface SoakPlan {
  ratePerSecond: number;
  trafficMs: number;
  /** How long each disruption lasts: a minute in a 20-minute run. */
  holdMs: number;
  /**
   * Longer than a broker outage plus the backlog draining after it: orders that wait for the broker are in flight,
   * not orphaned, and a grace period shorter than the outage would flag them.
   */
  graceSeconds: number;
  quietMs: number;
}

export function planPhases(minutes: number, ratePerSecond: number): SoakPlan {
  if (!(minutes >= 1)) throw new Error(`--minutes must be at least 1, got ${minutes}`);
  if (!(ratePerSecond > 0))
    throw new Error(`--rate must be a positive number of orders per second, got ${ratePerSecond}`);
  const totalMs = minutes * 60_000;
  const trafficMs = Math.round(totalMs * TRAFFIC_SHARE);
  const holdMs = Math.round(Math.min(MAX_HOLD_MS, Math.max(MIN_HOLD_MS, trafficMs * 0.07)));
  const graceSeconds = Math.ceil((holdMs * 1.5) / 1000 + 10);
  // The quiet period lets the last faults pass the grace period and the sweep, and the last actions settle.
  const quietMs = Math.max(totalMs - trafficMs, 2 * graceSeconds * 1000 + 30_000);
  return { ratePerSecond, trafficMs, holdMs, graceSeconds, quietMs };
}
