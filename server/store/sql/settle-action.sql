-- Moves a live action on and appends the audit row in one statement. A settled action never changes again.
-- $1 id, $2 status, $3 detail, $4 event ('outcome' | 'swept'), $5 retry after (ms) when $2 is still live
WITH updated AS (
  UPDATE actions SET status = $2, detail = $3, updated_at = now(),
    settled_at = CASE WHEN $2 IN ('pending', 'in-doubt') THEN NULL ELSE now() END,
    lease_until = CASE WHEN $2 IN ('pending', 'in-doubt') THEN now() + $5 * interval '1 millisecond' ELSE lease_until END
  WHERE id = $1 AND status IN ('pending', 'in-doubt')
  RETURNING *
), audited AS (
  INSERT INTO audit_log (action_id, event, actor, role, action, target, idempotency_key, reason, outcome, detail)
  SELECT id, $4, actor, role, action, target, idempotency_key, reason, status, detail FROM updated
)
SELECT * FROM updated
