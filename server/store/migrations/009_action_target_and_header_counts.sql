-- A claim looks up the newest action on its target (the one a press races or retries), so the target is indexed.
CREATE INDEX IF NOT EXISTS actions_target ON actions (target, seq DESC);

-- Header entries of a dead letter (at every depth) and how many of them were not stored (over the byte bound, or
-- nested too deep), so a trimmed table is marked on the letter instead of passing as whole. NULL: stored before
-- Recon counted.
ALTER TABLE dead_letters ADD COLUMN IF NOT EXISTS header_entries int;
ALTER TABLE dead_letters ADD COLUMN IF NOT EXISTS header_entries_omitted int;
