-- Applies exactly the finding changes it is given, in one statement, so they land together or not at all, and
-- returns how many findings it opened (new or reopened) and resolved. Which verdicts are worth sending is decided
-- before (reconcilers/engine/store-changes.ts): this statement only writes.
-- $1 mismatches jsonb: [{ id, kind, key, severity, evidence, order_id, message_id }] (one JSON document: a thousand
-- evidence objects cost the client and the server far less that way than as an array of jsonb); $2 ids text[]: the
-- oks; $3 now timestamptz. No id may appear twice across $1 and $2 (a row changes once).
WITH mismatch AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb)
    AS m (id text, kind text, key text, severity text, evidence jsonb, order_id text, message_id text)
),
-- Read from the statement's snapshot, before the upsert: which of them open a finding rather than refresh one.
opening AS (
  SELECT m.id FROM mismatch m LEFT JOIN findings f ON f.id = m.id WHERE f.id IS NULL OR f.state = 'resolved'
),
upserted AS (
  INSERT INTO findings AS f (id, kind, key, severity, verdict, state, first_seen_at, last_seen_at, evidence, order_id,
    message_id)
  SELECT id, kind, key, severity, 'mismatch', 'open', $3, $3, evidence, order_id, message_id FROM mismatch
  ON CONFLICT (id) DO UPDATE SET
    severity = EXCLUDED.severity,
    verdict = EXCLUDED.verdict,
    evidence = EXCLUDED.evidence,
    order_id = EXCLUDED.order_id,
    message_id = EXCLUDED.message_id,
    last_seen_at = EXCLUDED.last_seen_at,
    state = 'open',
    resolved_at = NULL,
    -- A reopened finding is a new episode: its age counts from now, and occurrences counts the episodes.
    first_seen_at = CASE WHEN f.state = 'resolved' THEN EXCLUDED.first_seen_at ELSE f.first_seen_at END,
    occurrences = f.occurrences + CASE WHEN f.state = 'resolved' THEN 1 ELSE 0 END
),
resolved AS (
  UPDATE findings SET state = 'resolved', verdict = 'ok', resolved_at = $3
  WHERE id = ANY ($2::text[]) AND state = 'open'
  RETURNING 1
)
SELECT
  (SELECT count(*)::int FROM opening) AS opened,
  (SELECT count(*)::int FROM resolved) AS resolved
