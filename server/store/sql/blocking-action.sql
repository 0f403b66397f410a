-- The action a new claim on the target ran into, read under the target's lock (so it is what the claim saw).
-- $1 target, $2 hold of a done action (ms), $3 when the finding (this occurrence) opened,
-- $4 hold of a failed, superseded or needs-attention action (ms), $5 the settled action the request retries, or NULL
-- A live action blocks; a done one within its hold; the newest action, settled otherwise within its hold, blocks
-- every press except the one that names it in retryOf: a press that raced it is answered with it, never run again.
SELECT * FROM actions WHERE target = $1 AND (
  status IN ('pending', 'in-doubt')
  OR (status = 'done' AND settled_at >= $3::timestamptz AND settled_at > now() - $2 * interval '1 millisecond')
  OR (seq = (SELECT max(seq) FROM actions WHERE target = $1)
    AND status IN ('failed', 'superseded', 'needs-attention') AND id IS DISTINCT FROM $5::uuid
    AND settled_at >= $3::timestamptz AND settled_at > now() - $4 * interval '1 millisecond'))
ORDER BY seq DESC LIMIT 1
