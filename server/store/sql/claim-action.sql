-- The intent and its audit row in one statement: both commit, or neither, before any effect.
-- ON CONFLICT without a target covers both unique indexes: the actor's idempotency key and the live target.
-- $1 id, $2 action, $3 finding_id, $4 target, $5 actor, $6 role, $7 reason, $8 idempotency_key, $9 request_hash,
-- $10 message_id, $11 lease in ms, $12 bulk_id, $13 hold in ms, $14 when the finding (this occurrence) opened
-- A `done` action on the target within the hold also blocks: its effect is on its way, the next cycle confirms it,
-- and pressing again meanwhile would only repeat it.
WITH inserted AS (
  INSERT INTO actions (id, action, finding_id, target, status, actor, role, reason, idempotency_key, request_hash,
    message_id, attempts, lease_until, bulk_id)
  SELECT $1, $2, $3, $4, 'pending', $5, $6, $7, $8, $9, $10, 1, now() + $11 * interval '1 millisecond', $12
  WHERE NOT EXISTS (
    SELECT 1 FROM actions WHERE target = $4 AND status = 'done' AND settled_at >= $14::timestamptz
      AND settled_at > now() - $13 * interval '1 millisecond')
  ON CONFLICT DO NOTHING
  RETURNING *
), audited AS (
  INSERT INTO audit_log (action_id, event, actor, role, action, target, idempotency_key, reason, outcome)
  SELECT id, 'requested', actor, role, action, target, idempotency_key, reason, status FROM inserted
)
SELECT * FROM inserted
