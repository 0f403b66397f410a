import type { Pool } from 'pg';
import type { ActionName } from '../../reconcilers/registry.ts';
import { isUuid } from './uuid.ts';

export type BulkStatus = 'running' | 'cancelling' | 'cancelled' | 'completed' | 'completed-with-failures';

export interface BulkRecord {
  id: string;
  action: ActionName;
  actor: string;
  role: string;
  reason: string;
  selection: unknown;
  ratePerSecond: number;
  status: BulkStatus;
  createdAt: Date;
  heartbeatAt: Date;
  finishedAt: Date | null;
  total: number;
}

export type InterruptedBulk = Pick<
  BulkRecord,
  'id' | 'action' | 'actor' | 'role' | 'reason' | 'ratePerSecond' | 'status'
>;

export interface BulkItem {
  position: number;
  findingId: string;
  /** `queued`, `skipped`, `cancelled`, or the item's action status as it is now (the sweeper may still settle it). */
  outcome: string;
  detail: string | null;
  actionId: string | null;
}

export interface NewBulk {
  id: string;
  action: ActionName;
  actor: string;
  role: string;
  reason: string;
  idempotencyKey: string;
  /** A hash of what was asked (action, reason, selection, rate): a reused key with another request is refused. */
  requestHash: string;
  selection: unknown;
  ratePerSecond: number;
  findingIds: readonly string[];
}

const CREATE = `WITH bulk AS (
    INSERT INTO bulk_actions
      (id, action, actor, role, reason, idempotency_key, selection, rate_per_second, status, request_hash)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'running', $10) ON CONFLICT DO NOTHING RETURNING id
  )
  INSERT INTO bulk_items (bulk_id, position, finding_id)
  SELECT bulk.id, item.position - 1, item.finding_id FROM bulk, unnest($9::text[]) WITH ORDINALITY AS item(finding_id, position)
  RETURNING bulk_id`;
const BY_KEY = 'SELECT id, request_hash FROM bulk_actions WHERE actor = $1 AND idempotency_key = $2';
const GET = `SELECT b.*, (SELECT count(*)::int FROM bulk_items i WHERE i.bulk_id = b.id) AS total
  FROM bulk_actions b WHERE b.id = $1`;
// An item with an action shows that action's status now: an in-doubt publish the sweeper settled later is done.
const ITEMS = `SELECT i.position, i.finding_id, CASE WHEN a.id IS NULL THEN i.outcome ELSE a.status END AS outcome,
    coalesce(a.detail, i.detail) AS detail, i.action_id
  FROM bulk_items i LEFT JOIN actions a ON a.id = i.action_id
  WHERE i.bulk_id = $1 AND i.position > $2 ORDER BY i.position LIMIT $3`;
const COUNTS = `SELECT CASE WHEN a.id IS NULL THEN i.outcome ELSE a.status END AS outcome, count(*)::int AS n
  FROM bulk_items i LEFT JOIN actions a ON a.id = i.action_id WHERE i.bulk_id = $1 GROUP BY 1`;
// Of the items whose action is done, those whose finding is no longer open: "done 28, of which 25 resolved".
const RESOLVED = `SELECT count(*)::int AS n FROM bulk_items i
  JOIN actions a ON a.id = i.action_id JOIN findings f ON f.id = i.finding_id
  WHERE i.bulk_id = $1 AND a.status = 'done' AND f.state <> 'open'`;
const RECORD = 'UPDATE bulk_items SET outcome = $3, detail = $4, action_id = $5 WHERE bulk_id = $1 AND position = $2';
const CANCEL_QUEUED = `UPDATE bulk_items SET outcome = 'cancelled', detail = 'the bulk was cancelled'
  WHERE bulk_id = $1 AND outcome = 'queued'`;
// A bulk whose runner went silent (its replica died): taken by touching its heartbeat, so one replica resumes it.
const TAKE_INTERRUPTED = `UPDATE bulk_actions SET heartbeat_at = now()
  WHERE id = (SELECT id FROM bulk_actions WHERE status IN ('running', 'cancelling')
                AND heartbeat_at < now() - $1 * interval '1 millisecond'
              ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED)
  RETURNING id, action, actor, role, reason, rate_per_second, status`;
const SET_STATUS = `UPDATE bulk_actions SET status = $2, heartbeat_at = now(),
  finished_at = CASE WHEN $2 IN ('running', 'cancelling') THEN NULL ELSE now() END WHERE id = $1 AND status = ANY($3)`;

export function createBulkStore(pool: Pool) {
  return {
    /**
     * Idempotent on (actor, key): the same request twice is the same bulk. Returns the bulk's id and, when the key
     * was used before, whether that earlier bulk asked for the same.
     */
    async create(
      bulk: NewBulk,
    ): Promise<{ id: string; isNew: true } | { id: string; isNew: false; isSameRequest: boolean }> {
      const { rowCount } = await pool.query(CREATE, [
        bulk.id,
        bulk.action,
        bulk.actor,
        bulk.role,
        bulk.reason,
        bulk.idempotencyKey,
        JSON.stringify(bulk.selection),
        bulk.ratePerSecond,
        [...bulk.findingIds],
        bulk.requestHash,
      ]);
      if (rowCount) return { id: bulk.id, isNew: true };
      const { rows } = await pool.query<{ id: string; request_hash: string | null }>(BY_KEY, [
        bulk.actor,
        bulk.idempotencyKey,
      ]);
      if (!rows[0]) throw new Error(`bulk ${bulk.id}: nothing inserted and no earlier bulk with its key`);
      // A bulk made before hashes were kept cannot be told apart: it replays, as it did then.
      const isSameRequest = rows[0].request_hash === null || rows[0].request_hash === bulk.requestHash;
      return { id: rows[0].id, isNew: false, isSameRequest };
    },
    async get(id: string): Promise<BulkRecord | undefined> {
      if (!isUuid(id)) return undefined;
      const { rows } = await pool.query(GET, [id]);
      const r = rows[0];
      return (
        r && {
          id: r.id,
          action: r.action,
          actor: r.actor,
          role: r.role,
          reason: r.reason,
          selection: r.selection,
          ratePerSecond: r.rate_per_second,
          status: r.status,
          createdAt: r.created_at,
          heartbeatAt: r.heartbeat_at,
          finishedAt: r.finished_at,
          total: r.total,
        }
      );
    },
    async items(id: string, afterPosition: number, limit: number): Promise<BulkItem[]> {
      const { rows } = await pool.query(ITEMS, [id, afterPosition, limit]);
      return rows.map((r) => ({
        position: r.position,
        findingId: r.finding_id,
        outcome: r.outcome,
        detail: r.detail,
        actionId: r.action_id,
      }));
    },
    async counts(id: string): Promise<Record<string, number>> {
      const { rows } = await pool.query<{ outcome: string; n: number }>(COUNTS, [id]);
      return Object.fromEntries(rows.map((r) => [r.outcome, r.n]));
    },
    /** Of its done actions, how many findings are resolved now: what the operator wanted, beyond "done". */
    async resolvedCount(id: string): Promise<number> {
      const { rows } = await pool.query<{ n: number }>(RESOLVED, [id]);
      return rows[0]?.n ?? 0;
    },
    async record(
      id: string,
      position: number,
      item: { outcome: string; detail: string | null; actionId: string | null },
    ) {
      await pool.query(RECORD, [id, position, item.outcome, item.detail, item.actionId]);
    },
    async cancelQueued(id: string) {
      await pool.query(CANCEL_QUEUED, [id]);
    },
    /** The oldest bulk whose runner has not been heard of for `staleMs`, now this caller's to run; else undefined. */
    async takeInterrupted(staleMs: number): Promise<InterruptedBulk | undefined> {
      const { rows } = await pool.query(TAKE_INTERRUPTED, [staleMs]);
      const r = rows[0];
      return (
        r && {
          id: r.id,
          action: r.action,
          actor: r.actor,
          role: r.role,
          reason: r.reason,
          ratePerSecond: r.rate_per_second,
          status: r.status,
        }
      );
    },
    /** Moves the bulk to `status` only from one of `from`; true when it did. Also the runner's heartbeat. */
    async setStatus(id: string, status: BulkStatus, from: readonly BulkStatus[]): Promise<boolean> {
      const { rowCount } = await pool.query(SET_STATUS, [id, status, [...from]]);
      return rowCount === 1;
    },
  };
}

export type BulkStore = ReturnType<typeof createBulkStore>;
