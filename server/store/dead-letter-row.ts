import type { DeathEntry } from '../../reconcilers/ports/dead-letters.ts';
import type { DeadLetterState } from '../../reconcilers/snapshots/dead-letters.ts';
import type { DeadLetterSummary } from './dead-letter-types.ts';

/** A `dead_letters` row as pg returns it. Its snake_case never leaves server/store: `toSummary` is the way out. */
export interface SummaryRow {
  id: string;
  queue: string;
  message_id: string | null;
  dedupe_key: string;
  received_at: Date;
  body_size: number;
  body_truncated: boolean;
  is_parseable: boolean;
  content_type: string | null;
  reason: string;
  death_count: number;
  origin_exchange: string | null;
  origin_routing_keys: string[];
  first_death_queue: string | null;
  order_id: string | null;
  state: DeadLetterState;
  state_reason: string | null;
}

export interface FullRow extends SummaryRow {
  body: Buffer;
  properties: Record<string, unknown>;
  headers: Record<string, unknown>;
  x_death: DeathEntry[];
  header_entries: number | null;
  header_entries_omitted: number | null;
}

export const SUMMARY_COLUMNS = `id, queue, message_id, dedupe_key, received_at, body_size, body_truncated, is_parseable,
  content_type, reason, death_count, origin_exchange, origin_routing_keys, first_death_queue, order_id, state,
  state_reason`;

// The only way a row leaves the store: snake_case stays here.
export const toSummary = (r: SummaryRow): DeadLetterSummary => ({
  id: r.id,
  queue: r.queue,
  messageId: r.message_id,
  dedupeKey: r.dedupe_key,
  receivedAt: r.received_at,
  bodySize: r.body_size,
  bodyTruncated: r.body_truncated,
  isParseable: r.is_parseable,
  contentType: r.content_type,
  reason: r.reason,
  deathCount: r.death_count,
  originExchange: r.origin_exchange,
  originRoutingKeys: r.origin_routing_keys,
  firstDeathQueue: r.first_death_queue,
  orderId: r.order_id,
  state: r.state,
  stateReason: r.state_reason,
});
