import type { DeadLetterFacts, DeadLetterState } from '../snapshots/dead-letters.ts';

// Recon's custody of dead letters (DESIGN: Dead letters): what the AMQP adapter builds from a delivery and the store
// keeps. Every text here came from the broker or a producer and is attacker-controlled.

/** One `x-death` entry, normalised by the AMQP adapter (RabbitMQ's `routing-keys` never gets past it). */
export interface DeathEntry {
  queue: string | null;
  reason: string | null;
  count: number | null;
  /** ISO time of the death (the broker stamps whole seconds). */
  time: string | null;
  exchange: string | null;
  routingKeys: string[];
}

/** What the consumer builds from one delivery; stored as it is. */
export interface DeadLetterRecord {
  queue: string;
  messageId: string | null;
  /** The message id, or a surrogate for a message without one: equal for every delivery of one message. */
  dedupeKey: string;
  /** At most the configured cap. */
  body: Buffer;
  /** The true size in bytes, however much was kept. */
  bodySize: number;
  bodyTruncated: boolean;
  /** Whole, valid UTF-8, JSON, and shallow enough to serialise again. */
  isParseable: boolean;
  contentType: string | null;
  properties: Record<string, unknown>;
  headers: Record<string, unknown>;
  /** Header entries at every depth as they arrived, and how many of them `headers` does not hold (its byte bound). */
  headerEntries: number;
  headerEntriesOmitted: number;
  /** Most recent death first. */
  xDeath: DeathEntry[];
  /** Of the most recent death, or a library's own (MassTransit's MT-Reason); 'unknown' without its queue style's marks. */
  reason: string;
  deathCount: number;
  originExchange: string | null;
  originRoutingKeys: string[];
  firstDeathQueue: string | null;
  orderId: string | null;
}

export type StoreDeadLetterOutcome =
  | { stored: true; id: string }
  | { stored: false; duplicate: true; id: string; state: DeadLetterState };

export interface DeadLetterCustodyPort {
  /** Idempotent on `dedupeKey`: a repeat delivery reports the row that is already there. */
  storeDeadLetter(record: DeadLetterRecord): Promise<StoreDeadLetterOutcome>;
  /** The letters with these dedupe keys (those that exist), for re-checking open findings. */
  findFactsByKeys(keys: readonly string[]): Promise<DeadLetterFacts[]>;
}
