-- One page of dead letters, newest first. Keyset on id (bigserial: it follows arrival and never repeats), so a page
-- costs the same wherever it is and letters arriving between pages cause neither duplicates nor gaps.
-- $1 reason text, $2 q text (order id as typed or, for a uuid typed in capitals, lower-cased; message id or dedupe key,
-- exactly), $3 ILIKE pattern for the body text,
-- $4 cursor id bigint (rows below it), $5 limit int, $6 the same ILIKE pattern over the text's UTF-8 bytes read as
-- Latin-1, $7 over those bytes in encode(…, 'escape') form. A NULL parameter means "no filter".
-- Body search cost: dead letters are an anomaly counted in thousands, not millions, and each body is capped at
-- RECON_DEAD_LETTER_MAX_BYTES, so a sequential read in id order that stops after $5 matches is acceptable (the
-- pool's statement timeout bounds a search that matches nothing). A parseable body is valid UTF-8 without NUL bytes
-- and is decoded as such. Any other body may be invalid UTF-8, on which convert_from(…, 'UTF8') fails: it is read
-- as Latin-1 instead, one character per byte, which never fails but on a NUL byte; a body holding one is read in
-- encode's escape form (NUL and bytes ≥ 0x80 as \ooo), which a term without such bytes matches as its own text.
-- Either way ASCII letters match in any case and other text byte for byte, as the operator typed it.
SELECT
  id, queue, message_id, dedupe_key, received_at, body_size, body_truncated, is_parseable, content_type, reason,
  death_count, origin_exchange, origin_routing_keys, first_death_queue, order_id, state, state_reason
FROM dead_letters
WHERE ($1::text IS NULL OR reason = $1)
  AND ($2::text IS NULL
    OR order_id = $2 OR order_id = lower($2) OR message_id = $2 OR dedupe_key = $2
    OR CASE
      WHEN is_parseable THEN convert_from(body, 'UTF8') ILIKE $3 ESCAPE '\'
      WHEN position('\x00'::bytea IN body) = 0 THEN convert_from(body, 'LATIN1') ILIKE $6 ESCAPE '\'
      ELSE encode(body, 'escape') ILIKE $7 ESCAPE '\'
    END)
  AND ($4::bigint IS NULL OR id < $4)
ORDER BY id DESC
LIMIT $5
