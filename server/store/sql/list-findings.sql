-- One page of findings, most recently seen first. Keyset on (last_seen_at DESC, id) rather than OFFSET: a page
-- costs the same wherever it is, and rows changing between pages cause neither duplicates nor gaps.
-- A NULL parameter means "no filter" (pg plans the unnamed statement with the values, so the test folds away).
-- $1 kind text, $2 state text, $3 q text (the key, the order id or the message id, exactly),
-- $4 cursor last_seen_at in epoch microseconds bigint, $5 cursor id text, $6 limit int
WITH after AS (
  SELECT timestamptz 'epoch' + $4::bigint * interval '1 microsecond' AS at
)
SELECT
  id, kind, key, severity, verdict, state, first_seen_at, last_seen_at, resolved_at, evidence, order_id, message_id,
  -- Microseconds, not a JS Date: a millisecond cursor would skip or repeat rows stamped within one millisecond.
  (extract(epoch FROM last_seen_at) * 1000000)::bigint AS last_seen_micros
FROM findings, after
WHERE ($1::text IS NULL OR kind = $1)
  AND ($2::text IS NULL OR state = $2)
  AND ($3::text IS NULL OR key = $3 OR order_id = $3 OR message_id = $3)
  AND ($4::bigint IS NULL OR (last_seen_at <= after.at AND (last_seen_at < after.at OR id > $5::text)))
ORDER BY last_seen_at DESC, id
LIMIT $6
