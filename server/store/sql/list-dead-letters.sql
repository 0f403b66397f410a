-- One page of dead letters, newest first. Keyset on id (bigserial: it follows arrival and never repeats), so a page
-- costs the same wherever it is and letters arriving between pages cause neither duplicates nor gaps.
-- $1 reason text, $2 q text (order id as typed or, for a uuid typed in capitals, lower-cased; message id or dedupe key,
-- exactly), $3 ILIKE pattern for the body text,
-- $4 cursor id bigint (rows below it), $5 limit int. A NULL parameter means "no filter".
-- Body search cost: dead letters are an anomaly counted in thousands, not millions, and each body is capped at
-- RECON_DEAD_LETTER_MAX_BYTES, so a sequential read in id order that stops after $5 matches is acceptable (the
-- pool's statement timeout bounds a search that matches nothing). Only parseable bodies are decoded: they are
-- valid UTF-8 without NUL bytes, which convert_from needs; CASE keeps it from ever seeing any other body.
SELECT
  id, queue, message_id, dedupe_key, received_at, body_size, body_truncated, is_parseable, content_type, reason,
  death_count, origin_exchange, origin_routing_keys, first_death_queue, order_id, state, state_reason
FROM dead_letters
WHERE ($1::text IS NULL OR reason = $1)
  AND ($2::text IS NULL
    OR order_id = $2 OR order_id = lower($2) OR message_id = $2 OR dedupe_key = $2
    OR CASE WHEN is_parseable THEN convert_from(body, 'UTF8') ILIKE $3 ESCAPE '\' ELSE false END)
  AND ($4::bigint IS NULL OR id < $4)
ORDER BY id DESC
LIMIT $5
