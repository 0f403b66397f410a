-- Applies one cycle's judgements in one statement, so they land together or not at all, and returns how many
-- findings it opened (new or reopened) and resolved.
-- $1 ids text[], $2 kinds text[], $3 keys text[], $4 severities text[], $5 evidence jsonb[]: the mismatches;
-- $6 ids text[]: the oks; $7 now timestamptz. No id may appear twice across $1 and $6 (a row changes once).
WITH mismatch AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[]) AS m (id, kind, key, severity, evidence)
),
-- Read from the statement's snapshot, before the upsert: a mismatch on an open finding is a refresh, not an opening.
-- Exact because only the leader writes findings.
already_open AS (
  SELECT count(*)::int AS n FROM findings WHERE id IN (SELECT id FROM mismatch) AND state = 'open'
),
upserted AS (
  INSERT INTO findings AS f (id, kind, key, severity, verdict, state, first_seen_at, last_seen_at, evidence)
  SELECT id, kind, key, severity, 'mismatch', 'open', $7, $7, evidence FROM mismatch
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
  RETURNING 1
),
resolved AS (
  UPDATE findings SET state = 'resolved', verdict = 'ok', resolved_at = $7
  WHERE id = ANY ($6::text[]) AND state = 'open'
  RETURNING 1
)
SELECT
  (SELECT count(*)::int FROM upserted) - (SELECT n FROM already_open) AS opened,
  (SELECT count(*)::int FROM resolved) AS resolved
