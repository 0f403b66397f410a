-- What a bulk request asked for (action, reason, selection, rate), so the same Idempotency-Key sent with another
-- body is refused (422) instead of answered as a replay. NULL for bulks made before: those replay as before.
ALTER TABLE bulk_actions ADD COLUMN IF NOT EXISTS request_hash text;
