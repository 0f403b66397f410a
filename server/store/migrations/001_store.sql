-- Recon's own database: findings, the health of every source it reads, and the incremental cycle's watermarks.
CREATE TABLE IF NOT EXISTS findings (
  id text PRIMARY KEY,
  kind text NOT NULL,
  key text NOT NULL,
  severity text NOT NULL,
  verdict text NOT NULL,
  state text NOT NULL CHECK (state IN ('open', 'resolved')),
  first_seen_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  -- NULL exactly while the finding is open: history() relies on it.
  resolved_at timestamptz,
  evidence jsonb NOT NULL DEFAULT '{}',
  occurrences int NOT NULL DEFAULT 1
);
-- Open findings stay few while resolved ones pile up: the cycle's re-check (keys per kind in key order) and the
-- open summary read only this partial index; INCLUDE lets the summary's oldest first_seen_at come from it too.
CREATE INDEX IF NOT EXISTS findings_open_kind_key ON findings (kind, key) INCLUDE (first_seen_at) WHERE state = 'open';
CREATE INDEX IF NOT EXISTS findings_open_last_seen ON findings (last_seen_at DESC, id) WHERE state = 'open';
CREATE INDEX IF NOT EXISTS findings_last_seen ON findings (last_seen_at DESC, id);
CREATE INDEX IF NOT EXISTS findings_key ON findings (key);
CREATE INDEX IF NOT EXISTS findings_evidence_order_id ON findings ((evidence ->> 'orderId'));
CREATE INDEX IF NOT EXISTS findings_evidence_message_id ON findings ((evidence ->> 'messageId'));
-- history() reads the findings resolved inside its window, not every finding ever resolved.
CREATE INDEX IF NOT EXISTS findings_resolved_at ON findings (resolved_at) WHERE state = 'resolved';

CREATE TABLE IF NOT EXISTS source_health (
  source text PRIMARY KEY,
  up boolean NOT NULL,
  last_success_at timestamptz,
  last_attempt_at timestamptz,
  last_error text
);

CREATE TABLE IF NOT EXISTS watermarks (
  stream text PRIMARY KEY,
  at timestamptz NOT NULL
);
