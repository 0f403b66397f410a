import type { DeadLetterCustodyPort, DeathEntry } from '../../reconcilers/ports/dead-letters.ts';
import type { DeadLetterState } from '../../reconcilers/snapshots/dead-letters.ts';

// Dead letters in Recon's custody (DESIGN: Dead letters), as the API lists and shows them. Every text here came from
// the broker or a producer and is attacker-controlled: the API returns it as JSON data and the UI renders it as text.

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
  /** Header entries at every depth as they arrived; null for a letter stored before Recon counted them. */
  headerEntries: number | null;
  /** Of those, how many were not stored (past the byte bound): the UI says the headers were trimmed. */
  headerEntriesOmitted: number | null;
  xDeath: DeathEntry[];
}

/** A letter that came back after a redrive: which copy it is, of which letter, sent by which action. */
export interface DeadLetterReplay {
  /** Recon's replay count: 1 for the first redriven copy. */
  number: number;
  /** The letter as it first died; null when Recon's store no longer has it (or it never did). */
  firstLetterId: string | null;
  /** The letter whose redrive this copy is. */
  previousLetterId: string | null;
  /** That redrive. */
  action: { id: string; actor: string; status: string } | null;
}

export interface DeadLetterQuery {
  reason?: string;
  /** An order id or message id (exact), or text in the body, parseable or not. */
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

/** Recon's dead-letter custody table. Only the leader stores; every replica reads. */
export interface DeadLetterStore extends DeadLetterCustodyPort {
  /** Conditional on the letter still being `stored`: true when this call settled it. */
  settleDeadLetter(id: string, state: Exclude<DeadLetterState, 'stored'>, reason: string): Promise<boolean>;
  listDeadLetters(query: DeadLetterQuery): Promise<DeadLetterPage>;
  getDeadLetter(id: string): Promise<DeadLetter | undefined>;
  /** Null unless the letter is a redriven copy that died again. */
  replayOf(letter: DeadLetter): Promise<DeadLetterReplay | null>;
  deadLettersForOrder(orderId: string): Promise<DeadLetterSummary[]>;
  /** Letters still in state `stored`, per queue and reason. */
  deadLetterCounts(): Promise<DeadLetterCount[]>;
}
