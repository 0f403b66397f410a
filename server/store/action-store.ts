import { readFileSync } from 'node:fs';
import type { Pool } from 'pg';
import type { ActionName } from '../../reconcilers/registry.ts';
import type { ActionRecord, ActionStatus, ActionStore, AuditEntry } from './action-types.ts';
import { isUuid } from './uuid.ts';

const MAX_PAGE_SIZE = 500;
const sql = (name: string) => readFileSync(new URL(`./sql/${name}.sql`, import.meta.url), 'utf8');
const CLAIM = sql('claim-action');
const SETTLE = sql('settle-action');
const TAKE_EXPIRED = sql('take-expired-actions');

const BY_KEY = 'SELECT * FROM actions WHERE actor = $1 AND idempotency_key = $2';
const BLOCKING_ON_TARGET = `SELECT * FROM actions WHERE target = $1 AND (status IN ('pending', 'in-doubt')
  OR (status = 'done' AND settled_at >= $3::timestamptz AND settled_at > now() - $2 * interval '1 millisecond'))
  ORDER BY seq DESC LIMIT 1`;
const GET = 'SELECT * FROM actions WHERE id = $1';
const SAVE_RESPONSE = 'UPDATE actions SET response = $2 WHERE id = $1 AND response IS NULL';
const LIST = `SELECT * FROM actions WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR finding_id = $2)
  AND ($3::uuid IS NULL OR bulk_id = $3) AND ($4::bigint IS NULL OR seq < $4) ORDER BY seq DESC LIMIT $5`;
const AUDIT = `SELECT * FROM audit_log WHERE ($1::uuid IS NULL OR action_id = $1) AND ($2::bigint IS NULL OR id < $2)
  ORDER BY id DESC LIMIT $3`;

// Claims and settles of one target take turns (a transaction-scoped advisory lock on the target). Without it a claim
// whose snapshot still saw the other action pending, but whose insert came after that action settled `done`, found
// neither the live index entry nor the done row, and a second action ran (seen under load: 2 of 50 parallel presses).
const LOCK_TARGET = "SELECT pg_advisory_xact_lock(hashtextextended('recon.action-target:' || $1, 0))";
const LOCK_TARGET_OF = `SELECT pg_advisory_xact_lock(hashtextextended('recon.action-target:' || target, 0))
  FROM actions WHERE id = $1`;

/** Runs `statement` in a transaction that first takes the target's lock; the statement's snapshot follows the lock. */
async function underTargetLock(pool: Pool, lock: [string, unknown[]], statement: [string, unknown[]]) {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(...lock);
    const result = await client.query(...statement);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** How often claim() looks again when the live action it collided with settled in between. */
const CLAIM_ATTEMPTS = 3;

export function createActionStore(pool: Pool): ActionStore {
  const findByKey: ActionStore['findByKey'] = async (actor, idempotencyKey) => {
    const { rows } = await pool.query(BY_KEY, [actor, idempotencyKey]);
    const row = rows[0];
    return row && { kind: 'replay', action: toAction(row), requestHash: row.request_hash, response: row.response };
  };
  return {
    findByKey,
    async claim(intent) {
      for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
        const { rows } = await underTargetLock(
          pool,
          [LOCK_TARGET, [intent.target]],
          [
            CLAIM,
            [
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
              intent.holdMs,
              intent.findingOpenedAt,
            ],
          ],
        );
        if (rows[0]) return { kind: 'claimed', action: toAction(rows[0]) };
        // Separate statements see what the concurrent insert committed, which the INSERT's snapshot may not.
        const earlier = await findByKey(intent.actor, intent.idempotencyKey);
        if (earlier) return earlier;
        const live = await pool.query(BLOCKING_ON_TARGET, [intent.target, intent.holdMs, intent.findingOpenedAt]);
        if (live.rows[0]) return { kind: 'conflict', action: toAction(live.rows[0]) };
      }
      throw new Error(`claiming ${intent.action} on ${intent.target}: conflicted ${CLAIM_ATTEMPTS} times`);
    },
    async settle(id, { status, detail }, event, retryAfterMs) {
      const { rows } = await underTargetLock(
        pool,
        [LOCK_TARGET_OF, [id]],
        [SETTLE, [id, status, detail, event, retryAfterMs]],
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
    async audit({ actionId, limit, before }) {
      const { rows } = await pool.query(AUDIT, [actionId ?? null, before ?? null, pageSize(limit)]);
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

// biome-ignore lint/suspicious/noExplicitAny: a row of `SELECT *` from audit_log
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
});
