import { readFileSync } from 'node:fs';
import type { Pool } from 'pg';
import { FINDING_KINDS, type FindingKind } from '../../reconcilers/registry.ts';
import type { Capability } from '../../reconcilers/repair.ts';
import type { Severity } from '../../reconcilers/vocabulary.ts';
import { toWriteFindingsParams } from './finding-changes.ts';
import { decodeCursor, encodeCursor } from './finding-cursor.ts';
import { FINDING_COLUMNS, type FindingRow, toFinding } from './finding-row.ts';
import type { HistoryPoint, ReconStore, SourceHealth } from './types.ts';

const MAX_PAGE_SIZE = 500;
/** history() widens its buckets rather than return more points per kind than a chart can show. */
const MAX_HISTORY_BUCKETS = 500;
/** An order with more findings than this is a bug elsewhere; the page shows the most recent ones. */
const MAX_FINDINGS_PER_ORDER = 500;

// Statements that need explaining live in sql/ with their parameters in a header comment; short ones stay here.
const sql = (name: string) => readFileSync(new URL(`./sql/${name}.sql`, import.meta.url), 'utf8');
const WRITE_FINDINGS = sql('write-findings');
const LIST_FINDINGS = sql('list-findings');
const HISTORY = sql('history');
const OPEN_SUMMARY = sql('open-summary');

// lastSeenAt as epoch milliseconds: a float8 the driver hands over as a number, not timestamp text it must parse.
const OPEN_FINDINGS = `SELECT kind, key, severity, evidence, date_part('epoch', last_seen_at) * 1000 AS last_seen_ms
  FROM findings WHERE kind = $1 AND state = 'open' AND ($2::text IS NULL OR key > $2) ORDER BY key LIMIT $3`;
const OPEN_FINDINGS_BY_IDS = `SELECT kind, key, severity, evidence, date_part('epoch', last_seen_at) * 1000 AS last_seen_ms
  FROM findings WHERE id = ANY($1::text[]) AND state = 'open'`;
const GET_FINDING = `SELECT ${FINDING_COLUMNS} FROM findings WHERE id = $1`;
const FINDINGS_FOR_ORDER = `SELECT ${FINDING_COLUMNS} FROM findings WHERE key = $1 OR order_id = $1
  ORDER BY last_seen_at DESC, id LIMIT $2`;
const GET_WATERMARK = 'SELECT at FROM watermarks WHERE stream = $1';
const SET_WATERMARK = `INSERT INTO watermarks (stream, at) VALUES ($1, $2)
  ON CONFLICT (stream) DO UPDATE SET at = EXCLUDED.at`;
// A report without a success time keeps the last known one: when a source last worked is what an operator asks first.
const RECORD_SOURCE_HEALTH = `INSERT INTO source_health AS h (source, up, last_success_at, last_attempt_at, last_error)
  VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (source) DO UPDATE SET up = EXCLUDED.up, last_error = EXCLUDED.last_error,
    last_success_at = coalesce(EXCLUDED.last_success_at, h.last_success_at),
    last_attempt_at = coalesce(EXCLUDED.last_attempt_at, h.last_attempt_at)`;
const LIST_SOURCE_HEALTH = `SELECT source, up, last_success_at, last_attempt_at, last_error FROM source_health
  ORDER BY source`;

interface SourceHealthRow {
  source: string;
  up: boolean;
  last_success_at: Date | null;
  last_attempt_at: Date | null;
  last_error: string | null;
}

interface OpenFindingRow {
  kind: string;
  key: string;
  severity: Severity;
  evidence: unknown;
  last_seen_ms: number;
}

export interface PgStoreOptions {
  /** The clock history() runs up to; tests pass a fixed one. */
  now?: () => Date;
  /** What the watched system's configuration provides: a finding's actions are those it offers (default: all). */
  capabilities?: ReadonlySet<Capability>;
}

/** Recon's store on PostgreSQL. Every method is a single statement, so any replica's pool can serve it. */
export function createPgStore(pool: Pool, { now = () => new Date(), capabilities }: PgStoreOptions = {}): ReconStore {
  const asFinding = (row: FindingRow) => toFinding(row, capabilities);
  return {
    async writeFindings(changes, at) {
      if (changes.length === 0) return { opened: 0, resolved: 0 };
      const { rows } = await pool.query<{ opened: number; resolved: number }>(
        WRITE_FINDINGS,
        toWriteFindingsParams(changes, at),
      );
      const { opened, resolved } = rows[0]!;
      return { opened, resolved };
    },
    async openFindings(kind, afterKey, limit) {
      const { rows } = await pool.query<OpenFindingRow>(OPEN_FINDINGS, [kind, afterKey, limit]);
      return rows.map(toOpenFinding);
    },
    async openFindingsByIds(ids) {
      if (ids.length === 0) return [];
      const { rows } = await pool.query<OpenFindingRow>(OPEN_FINDINGS_BY_IDS, [[...ids]]);
      return rows.map((r) => ({ kind: r.kind, ...toOpenFinding(r) }));
    },
    async getWatermark(stream) {
      const { rows } = await pool.query<{ at: Date }>(GET_WATERMARK, [stream]);
      return rows[0]?.at ?? null;
    },
    async setWatermark(stream, at) {
      await pool.query(SET_WATERMARK, [stream, at]);
    },
    async recordSourceHealth(h) {
      await pool.query(RECORD_SOURCE_HEALTH, [h.source, h.up, h.lastSuccessAt, h.lastAttemptAt, h.lastError]);
    },
    async listSourceHealth() {
      const { rows } = await pool.query<SourceHealthRow>(LIST_SOURCE_HEALTH);
      return rows.map(toSourceHealth);
    },
    async listFindings({ kind, state, q, limit, cursor }) {
      const pageSize = Number.isFinite(limit) ? Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(limit))) : MAX_PAGE_SIZE;
      const after = cursor ? decodeCursor(cursor) : undefined;
      // One row past the page tells whether another page exists without a count(*).
      const { rows } = await pool.query<FindingRow & { last_seen_micros: string }>(LIST_FINDINGS, [
        kind ?? null,
        state === 'all' ? null : state,
        q?.trim() || null,
        after?.lastSeenMicros ?? null,
        after?.id ?? null,
        pageSize + 1,
      ]);
      const page = rows.slice(0, pageSize);
      const last = page.at(-1);
      const hasMore = rows.length > pageSize && last !== undefined;
      return {
        items: page.map(asFinding),
        nextCursor: hasMore ? encodeCursor({ lastSeenMicros: last.last_seen_micros, id: last.id }) : null,
      };
    },
    async getFinding(id) {
      const { rows } = await pool.query<FindingRow>(GET_FINDING, [id]);
      return rows[0] && asFinding(rows[0]);
    },
    async findingsForOrder(orderId) {
      const { rows } = await pool.query<FindingRow>(FINDINGS_FOR_ORDER, [orderId, MAX_FINDINGS_PER_ORDER]);
      return rows.map(asFinding);
    },
    async openSummary() {
      const { rows } = await pool.query<{ kind: FindingKind; open: number; oldest_first_seen_at: Date | null }>(
        OPEN_SUMMARY,
        [[...FINDING_KINDS]],
      );
      return rows.map((r) => ({ kind: r.kind, open: r.open, oldestFirstSeenAt: r.oldest_first_seen_at }));
    },
    async history(since, bucketSeconds) {
      if (!(bucketSeconds > 0)) throw new RangeError(`history: bucketSeconds must be positive, got ${bucketSeconds}`);
      const until = now();
      const rangeSeconds = (until.getTime() - since.getTime()) / 1000;
      if (rangeSeconds < 0) return [];
      const stepSeconds = Math.max(bucketSeconds, Math.ceil(rangeSeconds / (MAX_HISTORY_BUCKETS - 1)));
      const { rows } = await pool.query<HistoryPoint>(HISTORY, [since, stepSeconds, until, [...FINDING_KINDS]]);
      return rows;
    },
  };
}

const toOpenFinding = (r: OpenFindingRow) => ({
  key: r.key,
  severity: r.severity,
  evidence: r.evidence,
  lastSeenAt: new Date(r.last_seen_ms),
});

const toSourceHealth = (r: SourceHealthRow): SourceHealth => ({
  source: r.source,
  up: r.up,
  lastSuccessAt: r.last_success_at,
  lastAttemptAt: r.last_attempt_at,
  lastError: r.last_error,
});
