-- The intent and its audit row in one statement: both commit, or neither, before any effect.
-- Runs under the target's lock after blocking-action.sql found nothing in the way, so the one conflict left is the
-- actor's idempotency key (a concurrent request on another target); ON CONFLICT without a target covers it, and
-- the live-target index stays the last guard.
-- $1 id, $2 action, $3 finding_id, $4 target, $5 actor, $6 role, $7 reason, $8 idempotency_key, $9 request_hash,
-- $10 message_id, $11 lease in ms, $12 bulk_id
WITH inserted AS (
  INSERT INTO actions (id, action, finding_id, target, status, actor, role, reason, idempotency_key, request_hash,
    message_id, attempts, lease_until, bulk_id)
  VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, $9, $10, 1, now() + $11 * interval '1 millisecond', $12)
  ON CONFLICT DO NOTHING
  RETURNING *
), audited AS (
  INSERT INTO audit_log (action_id, event, actor, role, action, target, idempotency_key, reason, outcome)
  SELECT id, 'requested', actor, role, action, target, idempotency_key, reason, status FROM inserted
)
SELECT * FROM inserted
