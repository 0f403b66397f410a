-- Applies one cycle's judgements in one statement, so they land together or not at all, and returns how many
-- findings it opened (new or reopened) and resolved.
-- $1 mismatches jsonb: [{ id, kind, key, severity, evidence }] (one JSON document: a thousand evidence objects cost
-- the client and the server far less that way than as an array of jsonb); $2 ids text[]: the oks; $3 now timestamptz;
-- $4 refresh_before timestamptz: an open finding whose severity and evidence are unchanged is rewritten only if it was
-- last seen before this (last_seen_at is refreshed at most once an interval, not every cycle). No id may appear twice
-- across $1 and $2 (a row changes once).
WITH mismatch AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS m (id text, kind text, key text, severity text, evidence jsonb)
),
-- The mismatches that change a row, read from the statement's snapshot before the upsert: a new or resolved finding
-- opens; an open one is rewritten only when it says something new. Leaving the rest alone is what keeps a cycle
-- cheap: every open finding is re-checked each cycle, and rewriting its row (a new tuple and an entry in every
-- index, since last_seen_at is indexed) was over a third of a cycle's time. Exact because only the leader writes
-- findings.
change AS (
  SELECT m.*, (f.id IS NULL OR f.state = 'resolved') AS is_opening
  FROM mismatch m LEFT JOIN findings f ON f.id = m.id
  WHERE f.id IS NULL OR f.state = 'resolved' OR f.severity <> m.severity OR f.evidence <> m.evidence
    OR f.last_seen_at < $4
),
upserted AS (
  INSERT INTO findings AS f (id, kind, key, severity, verdict, state, first_seen_at, last_seen_at, evidence)
  SELECT id, kind, key, severity, 'mismatch', 'open', $3, $3, evidence FROM change
  ON CONFLICT (id) DO UPDATE SET
    severity = EXCLUDED.severity,
    verdict = EXCLUDED.verdict,
    evidence = EXCLUDED.evidence,
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
  (SELECT count(*)::int FROM change WHERE is_opening) AS opened,
  (SELECT count(*)::int FROM resolved) AS resolved
