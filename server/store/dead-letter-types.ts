// Dead letters in Recon's custody (DESIGN: Dead letters). Every text here came from the broker or a producer and
// is attacker-controlled: the API returns it as JSON data and the UI renders it as text.

export type DeadLetterState = 'stored' | 'redriven' | 'discarded' | 'consistent';

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
  /** Most recent death first. */
  xDeath: DeathEntry[];
  /** Of the most recent death; 'unknown' without any x-death. */
  reason: string;
  deathCount: number;
  originExchange: string | null;
  originRoutingKeys: string[];
  firstDeathQueue: string | null;
  orderId: string | null;
}

/** A stored dead letter as lists show it: no body, properties or headers. */
export interface DeadLetterSummary {
  id: string;
  queue: string;
  messageId: string | null;
  dedupeKey: string;
  receivedAt: Date;
  bodySize: number;
  bodyTruncated: boolean;
  isParseable: boolean;
  contentType: string | null;
  reason: string;
  deathCount: number;
  originExchange: string | null;
  originRoutingKeys: string[];
  firstDeathQueue: string | null;
  orderId: string | null;
  state: DeadLetterState;
  stateReason: string | null;
}

export interface DeadLetter extends DeadLetterSummary {
  body: Buffer;
  properties: Record<string, unknown>;
  headers: Record<string, unknown>;
  xDeath: DeathEntry[];
}

export type StoreDeadLetterOutcome =
  | { stored: true; id: string }
  | { stored: false; duplicate: true; id: string; state: DeadLetterState };

export interface DeadLetterQuery {
  reason?: string;
  /** An order id or message id (exact), or text in a parseable body. */
  q?: string;
  limit: number;
  /** From a previous page's `nextCursor`. */
  cursor?: string;
}

export interface DeadLetterPage {
  items: DeadLetterSummary[];
  nextCursor: string | null;
}

export interface DeadLetterCount {
  queue: string;
  reason: string;
  count: number;
}

/** Recon's dead-letter custody table. Only the leader writes; every replica reads. */
export interface DeadLetterStore {
  /** Idempotent on `dedupeKey`: a repeat delivery reports the row that is already there. */
  storeDeadLetter(record: DeadLetterRecord): Promise<StoreDeadLetterOutcome>;
  /** Conditional on the letter still being `stored`: true when this call settled it. */
  settleDeadLetter(id: string, state: Exclude<DeadLetterState, 'stored'>, reason: string): Promise<boolean>;
  listDeadLetters(query: DeadLetterQuery): Promise<DeadLetterPage>;
  getDeadLetter(id: string): Promise<DeadLetter | undefined>;
  deadLettersForOrder(orderId: string): Promise<DeadLetterSummary[]>;
  /** The letters with these dedupe keys (those that exist), for re-checking open findings. */
  findByKeys(keys: readonly string[]): Promise<DeadLetterSummary[]>;
  /** Letters still in state `stored`, per queue and reason. */
  deadLetterCounts(): Promise<DeadLetterCount[]>;
}
