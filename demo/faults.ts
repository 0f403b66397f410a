import { createHash } from 'node:crypto';
import type { Pool } from 'pg';

export const FAULT_KINDS = [
  'publish-then-rollback',
  'relay-crash-before-confirm',
  'consumer-crash-before-ack',
  'poison',
  'non-idempotent',
  'lost-dispatch',
  'replenisher-down',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

/** Probability (0..1) of each fault. Mutable on purpose: tests and the demo switch faults on and off while running. */
export type FaultRates = Record<FaultKind, number>;

export function noFaults(): FaultRates {
  return Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as FaultRates;
}

export function isFaultKind(value: string): value is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(value);
}

/** Parses `poison=0.05,lost-dispatch=0.02` (a rate per kind, 0..1). */
export function parseFaultRates(text: string, base: FaultRates = noFaults()): FaultRates {
  const rates = { ...base };
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [kind, value = '1'] = part.split('=');
    if (!kind || !isFaultKind(kind)) {
      throw new Error(`unknown fault "${kind}"; known faults: ${FAULT_KINDS.join(', ')}`);
    }
    const rate = Number(value);
    if (!Number.isFinite(rate) || rate < 0 || rate > 1) {
      throw new Error(`fault ${kind}: rate must be a number from 0 to 1, got "${value}"`);
    }
    rates[kind] = rate;
  }
  return rates;
}

/**
 * Decides a fault for one message by hashing its id, not by chance: a consumer that sees the same message again
 * (a redelivery, another process) makes the same decision, so e.g. a non-idempotent consumer stays non-idempotent
 * for that message across its redelivery.
 */
export function isChosen(kind: FaultKind, messageId: string, rate: number): boolean {
  if (rate <= 0) return false;
  if (rate >= 1) return true;
  const digest = createHash('sha256').update(`${kind}:${messageId}`).digest();
  return digest.readUInt32BE(0) / 0x1_0000_0000 < rate;
}

export interface FaultLedger {
  record(kind: FaultKind, ids: { orderId?: string | null; messageId?: string | null }): Promise<void>;
}

/** The ground truth tests score detection against: table `demo_faults` in the orders database. */
export function createFaultLedger(ordersPool: Pool): FaultLedger {
  return {
    async record(kind, { orderId = null, messageId = null }) {
      await ordersPool.query('INSERT INTO demo_faults (kind, order_id, message_id) VALUES ($1, $2, $3)', [
        kind,
        orderId,
        messageId,
      ]);
    },
  };
}
