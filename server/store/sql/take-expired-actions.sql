-- The sweeper's claim: live actions whose lease ran out, leased again with the attempt counted. SKIP LOCKED lets
-- two replicas sweep at once without taking the same action.
-- $1 lease in ms, $2 limit
UPDATE actions SET lease_until = now() + $1 * interval '1 millisecond', attempts = attempts + 1, updated_at = now()
WHERE id IN (
  SELECT id FROM actions WHERE status IN ('pending', 'in-doubt') AND lease_until < now()
  ORDER BY lease_until LIMIT $2 FOR UPDATE SKIP LOCKED
)
RETURNING *
