import { readFileSync } from 'node:fs';
import type { Pool, PoolClient } from 'pg';
import type { ActionName } from '../../reconcilers/registry.ts';
import type { ActionRecord, ActionStatus, ActionStore, AuditEntry } from './action-types.ts';
import { isUuid } from './uuid.ts';

const MAX_PAGE_SIZE = 500;
const sql = (name: string) => readFileSync(new URL(`./sql/${name}.sql`, import.meta.url), 'utf8');
const CLAIM = sql('claim-action');
const SETTLE = sql('settle-action');
const TAKE_EXPIRED = sql('take-expired-actions');
const BLOCKING = sql('blocking-action');

const BY_KEY = 'SELECT * FROM actions WHERE actor = $1 AND idempotency_key = $2';
const GET = 'SELECT * FROM actions WHERE id = $1';
const SAVE_RESPONSE = 'UPDATE actions SET response = $2 WHERE id = $1 AND response IS NULL';
const LIST = `SELECT * FROM actions WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR finding_id = $2)
  AND ($3::uuid IS NULL OR bulk_id = $3) AND ($4::bigint IS NULL OR seq < $4) ORDER BY seq DESC LIMIT $5`;
// Both halves use an index (actions_target, actions_finding); an order's actions are a handful, a flood is cut.
const ABOUT = `SELECT * FROM (SELECT * FROM actions WHERE target = $1
  UNION SELECT * FROM actions WHERE finding_id = ANY($2::text[])) a ORDER BY seq DESC LIMIT 100`;
const AUDIT = sql('audit');

// Claims and settles of one target take turns (a transaction-scoped advisory lock on the target). Without it a claim
// whose snapshot still saw the other action pending, but whose insert came after that action settled `done`, found
// neither the live index entry nor the done row, and a second action ran (seen under load: 2 of 50 parallel presses).
// A claim reads what blocks it under the same lock: read afterwards, a fast-failing action had already settled and
// the claim found nothing in its way, nor room to insert (500s, and extra actions, under 50 parallel presses).
const LOCK_TARGET = "SELECT pg_advisory_xact_lock(hashtextextended('recon.action-target:' || $1, 0))";
const LOCK_TARGET_OF = `SELECT pg_advisory_xact_lock(hashtextextended('recon.action-target:' || target, 0))
  FROM actions WHERE id = $1`;

/** Runs `work` in a transaction that first takes the target's lock; each statement's snapshot follows the lock. */
async function underTargetLock<T>(pool: Pool, lock: [string, unknown[]], work: (client: PoolClient) => Promise<T>) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(...lock);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

export function createActionStore(pool: Pool): ActionStore {
  const findByKey = async (actor: string, idempotencyKey: string, db: Pool | PoolClient = pool) => {
    const { rows } = await db.query(BY_KEY, [actor, idempotencyKey]);
    const row = rows[0];
    return (
      row && { kind: 'replay' as const, action: toAction(row), requestHash: row.request_hash, response: row.response }
    );
  };
  return {
    findByKey,
    async claim(intent) {
      const answer = await underTargetLock(pool, [LOCK_TARGET, [intent.target]], async (client) => {
        const earlier = await findByKey(intent.actor, intent.idempotencyKey, client);
        if (earlier) return earlier;
        const blocking = await client.query(BLOCKING, [
          intent.target,
          intent.holdMs,
          intent.findingOpenedAt,
          intent.settledHoldMs,
          intent.retryOf ?? null,
        ]);
        if (blocking.rows[0]) return { kind: 'conflict' as const, action: toAction(blocking.rows[0]) };
        const { rows } = await client.query(CLAIM, [
          intent.id,
          intent.action,
          intent.findingId,
          intent.target,
          intent.actor,
          intent.role,
          intent.reason,
          intent.idempotencyKey,
          intent.requestHash,
          intent.messageId,
          intent.leaseMs,
          intent.bulkId ?? null,
        ]);
        return rows[0] && { kind: 'claimed' as const, action: toAction(rows[0]) };
      });
      if (answer) return answer;
      // The key collided with a concurrent request of the same actor on another target: its row is committed now.
      const earlier = await findByKey(intent.actor, intent.idempotencyKey);
      if (earlier) return earlier;
      throw new Error(`claiming ${intent.action} on ${intent.target}: refused, and nothing stands in the way`);
    },
    async settle(id, { status, detail }, event, retryAfterMs) {
      const { rows } = await underTargetLock(pool, [LOCK_TARGET_OF, [id]], (client) =>
        client.query(SETTLE, [id, status, detail, event, retryAfterMs]),
      );
      return rows[0] && toAction(rows[0]);
    },
    async saveResponse(id, response) {
      await pool.query(SAVE_RESPONSE, [id, JSON.stringify(response)]);
    },
    async get(id) {
      if (!isUuid(id)) return undefined;
      const { rows } = await pool.query(GET, [id]);
      return rows[0] && toAction(rows[0]);
    },
    async list({ status, findingId, bulkId, limit, before }) {
      const { rows } = await pool.query(LIST, [
        status ?? null,
        findingId ?? null,
        bulkId ?? null,
        before ?? null,
        pageSize(limit),
      ]);
      return rows.map(toAction);
    },
    async about(target, findingIds) {
      const { rows } = await pool.query(ABOUT, [target, [...findingIds]]);
      return rows.map(toAction);
    },
    async audit({ actionId, actor, action, kind, from, to, limit, before }) {
      const { rows } = await pool.query(AUDIT, [
        actionId ?? null,
        before ?? null,
        pageSize(limit),
        actor ?? null,
        action ?? null,
        kind ?? null,
        from ?? null,
        to ?? null,
      ]);
      return rows.map(toAuditEntry);
    },
    async takeExpired(leaseMs, limit) {
      const { rows } = await pool.query(TAKE_EXPIRED, [leaseMs, limit]);
      return rows.map(toAction);
    },
  };
}

const pageSize = (limit: number) =>
  Number.isFinite(limit) ? Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(limit))) : MAX_PAGE_SIZE;

// biome-ignore lint/suspicious/noExplicitAny: a row of `SELECT *` from the actions table
const toAction = (r: any): ActionRecord => ({
  id: r.id,
  seq: String(r.seq),
  action: r.action as ActionName,
  findingId: r.finding_id,
  target: r.target,
  status: r.status as ActionStatus,
  actor: r.actor,
  role: r.role,
  reason: r.reason,
  idempotencyKey: r.idempotency_key,
  messageId: r.message_id,
  attempts: r.attempts,
  detail: r.detail,
  bulkId: r.bulk_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  settledAt: r.settled_at,
});

// biome-ignore lint/suspicious/noExplicitAny: a row of audit.sql (audit_log with its action's finding and bulk)
const toAuditEntry = (r: any): AuditEntry => ({
  id: String(r.id),
  at: r.at,
  actionId: r.action_id,
  event: r.event,
  actor: r.actor,
  role: r.role,
  action: r.action,
  target: r.target,
  idempotencyKey: r.idempotency_key,
  reason: r.reason,
  outcome: r.outcome,
  detail: r.detail,
  oldRole: r.old_role ?? null,
  newRole: r.new_role ?? null,
  findingId: r.finding_id ?? null,
  bulkId: r.bulk_id ?? null,
});
