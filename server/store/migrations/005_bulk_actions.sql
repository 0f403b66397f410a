-- Bulk actions: one row per bulk, one per selected finding with its planned and final outcome.
CREATE TABLE IF NOT EXISTS bulk_actions (
  id uuid PRIMARY KEY,
  seq bigserial UNIQUE,
  action text NOT NULL,
  actor text NOT NULL,
  role text NOT NULL,
  reason text NOT NULL CHECK (length(reason) > 0),
  idempotency_key text NOT NULL,
  -- The selection as asked: finding ids or a filter, for the audit of what the operator meant.
  selection jsonb NOT NULL,
  rate_per_second real NOT NULL,
  status text NOT NULL CHECK (status IN ('running', 'cancelling', 'cancelled', 'completed', 'completed-with-failures')),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- The runner touches it as it goes; a running bulk whose heartbeat stopped was interrupted.
  heartbeat_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE UNIQUE INDEX IF NOT EXISTS bulk_actions_idempotency ON bulk_actions (actor, idempotency_key);

CREATE TABLE IF NOT EXISTS bulk_items (
  bulk_id uuid NOT NULL REFERENCES bulk_actions (id),
  position int NOT NULL,
  finding_id text NOT NULL,
  -- queued until the runner reaches it; then the action's status, or skipped/cancelled with a detail.
  outcome text NOT NULL DEFAULT 'queued',
  detail text,
  action_id uuid,
  PRIMARY KEY (bulk_id, position)
);
