import { readFileSync } from 'node:fs';
import type { Pool } from 'pg';
import type { DeadLetterRecord } from '../../reconcilers/ports/dead-letters.ts';
import type { DeadLetterState } from '../../reconcilers/snapshots/dead-letters.ts';
import { readReplay } from './dead-letter-replays.ts';
import { type FullRow, SUMMARY_COLUMNS, type SummaryRow, toSummary } from './dead-letter-row.ts';
import type { DeadLetterStore } from './dead-letter-types.ts';
import { InvalidCursorError } from './finding-cursor.ts';
import { isUuid } from './uuid.ts';

const MAX_PAGE_SIZE = 500;
/** An order with more dead letters than this is a flood; the timeline shows the newest. */
const MAX_LETTERS_PER_ORDER = 100;

const LIST = readFileSync(new URL('./sql/list-dead-letters.sql', import.meta.url), 'utf8');
// One statement, so the row commits (or not) as a whole before the consumer acks.
const INSERT = `INSERT INTO dead_letters (queue, message_id, dedupe_key, body, body_size, body_truncated,
    is_parseable, content_type, properties, headers, x_death, reason, death_count, origin_exchange,
    origin_routing_keys, first_death_queue, order_id, header_entries, header_entries_omitted)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
  ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`;
// A separate statement sees the row a concurrent insert committed, which the INSERT's own snapshot may not.
const BY_KEY = 'SELECT id, state FROM dead_letters WHERE dedupe_key = $1';
const GET = `SELECT ${SUMMARY_COLUMNS}, body, properties, headers, x_death, header_entries, header_entries_omitted
  FROM dead_letters WHERE id = $1`;
const FOR_ORDER = `SELECT ${SUMMARY_COLUMNS} FROM dead_letters WHERE order_id = $1 ORDER BY id DESC LIMIT $2`;
const BY_KEYS = `SELECT ${SUMMARY_COLUMNS} FROM dead_letters WHERE dedupe_key = ANY($1::text[])`;
// Only a letter still awaiting an operator is settled: a second redrive or discard changes nothing.
const SETTLE = `UPDATE dead_letters SET state = $2, state_reason = $3 WHERE id = $1 AND state = 'stored'`;
const COUNTS = `SELECT queue, reason, count(*)::int AS count FROM dead_letters WHERE state = 'stored'
  GROUP BY queue, reason ORDER BY queue, reason`;

export function createDeadLetterStore(pool: Pool): DeadLetterStore {
  return {
    async storeDeadLetter(r: DeadLetterRecord) {
      const inserted = await pool.query<{ id: string }>(INSERT, [
        r.queue,
        r.messageId,
        r.dedupeKey,
        r.body,
        r.bodySize,
        r.bodyTruncated,
        r.isParseable,
        r.contentType,
        JSON.stringify(r.properties),
        JSON.stringify(r.headers),
        JSON.stringify(r.xDeath),
        r.reason,
        r.deathCount,
        r.originExchange,
        r.originRoutingKeys,
        r.firstDeathQueue,
        r.orderId,
        r.headerEntries,
        r.headerEntriesOmitted,
      ]);
      if (inserted.rows[0]) return { stored: true, id: inserted.rows[0].id };
      const { rows } = await pool.query<{ id: string; state: DeadLetterState }>(BY_KEY, [r.dedupeKey]);
      const existing = rows[0];
      if (!existing) throw new Error(`dead letter ${r.dedupeKey}: conflict on insert, but no row to read`);
      return { stored: false, duplicate: true, id: existing.id, state: existing.state };
    },
    async settleDeadLetter(id, state, reason) {
      if (!/^\d{1,18}$/.test(id)) return false;
      const { rowCount } = await pool.query(SETTLE, [id, state, reason]);
      return rowCount === 1;
    },
    async listDeadLetters({ reason, q, limit, cursor }) {
      const pageSize = Number.isFinite(limit) ? Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(limit))) : 50;
      if (cursor !== undefined && !/^\d{1,18}$/.test(cursor)) throw new InvalidCursorError();
      const text = q?.trim() || null;
      const bytes = text === null ? null : Buffer.from(text, 'utf8');
      // One row past the page tells whether another page exists without a count(*).
      const { rows } = await pool.query<SummaryRow>(LIST, [
        reason ?? null,
        text,
        text && containing(text),
        cursor ?? null,
        pageSize + 1,
        bytes && containing(bytes.toString('latin1')),
        bytes && containing(escapeForm(bytes)),
      ]);
      const page = rows.slice(0, pageSize);
      const last = page.at(-1);
      return { items: page.map(toSummary), nextCursor: rows.length > pageSize && last ? last.id : null };
    },
    async getDeadLetter(id) {
      if (!/^\d{1,18}$/.test(id)) return undefined;
      const { rows } = await pool.query<FullRow>(GET, [id]);
      const row = rows[0];
      if (!row) return undefined;
      return {
        ...toSummary(row),
        body: row.body,
        properties: row.properties,
        headers: row.headers,
        headerEntries: row.header_entries,
        headerEntriesOmitted: row.header_entries_omitted,
        xDeath: row.x_death,
      };
    },
    replayOf: (letter) => readReplay(pool, letter),
    async deadLettersForOrder(orderId) {
      // Stored uuids are lower-case; any other key is compared exactly as it is written.
      const key = isUuid(orderId) ? orderId.toLowerCase() : orderId;
      const { rows } = await pool.query<SummaryRow>(FOR_ORDER, [key, MAX_LETTERS_PER_ORDER]);
      return rows.map(toSummary);
    },
    async findFactsByKeys(keys) {
      if (keys.length === 0) return [];
      const { rows } = await pool.query<SummaryRow>(BY_KEYS, [[...keys]]);
      return rows.map((row) => ({ ...toSummary(row), key: row.dedupe_key }));
    },
    async deadLetterCounts() {
      const { rows } = await pool.query<{ queue: string; reason: string; count: number }>(COUNTS);
      return rows;
    },
  };
}

/** An ILIKE pattern (ESCAPE '\\') matching `text` anywhere, its wildcards taken literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** What PostgreSQL's encode(bytes, 'escape') makes of these bytes: NUL and bytes ≥ 0x80 as \ooo, \ doubled. */
function escapeForm(bytes: Buffer): string {
  let out = '';
  for (const byte of bytes) {
    if (byte === 0 || byte >= 0x80) out += `\\${byte.toString(8).padStart(3, '0')}`;
    else if (byte === 0x5c) out += '\\\\';
    else out += String.fromCharCode(byte);
  }
  return out;
}
