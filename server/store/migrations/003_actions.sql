-- Repair actions and their audit log (DESIGN: Actions: safe to press twice).
CREATE TABLE IF NOT EXISTS actions (
  id uuid PRIMARY KEY,
  -- Arrival order, for listing newest first with a keyset cursor.
  seq bigserial UNIQUE,
  action text NOT NULL,
  finding_id text NOT NULL,
  -- What the action changes; one live action per target (see actions_live_target).
  target text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'in-doubt', 'done', 'failed', 'superseded', 'needs-attention')),
  actor text NOT NULL,
  role text NOT NULL,
  reason text NOT NULL CHECK (length(reason) > 0),
  idempotency_key text NOT NULL,
  -- sha256 of the request body: a replayed key with another body is refused (422).
  request_hash text NOT NULL,
  -- The message id every publish of this action uses, fixed at intent time so retries and the sweeper reuse it.
  message_id text,
  attempts int NOT NULL DEFAULT 0,
  detail text,
  -- A replica executing the action holds it until then; the sweeper only takes actions whose lease ran out.
  lease_until timestamptz NOT NULL,
  bulk_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  settled_at timestamptz,
  -- The response the first request got, returned again to a replay of its idempotency key.
  response jsonb
);
-- An idempotency key belongs to the client that made it up: scoped by actor.
CREATE UNIQUE INDEX IF NOT EXISTS actions_idempotency ON actions (actor, idempotency_key);
-- One live action per target, whatever the action: making up an order while another operator cancels its
-- dispatch is as wrong as doing either twice. A second operator gets 409 with a link to the first action.
CREATE UNIQUE INDEX IF NOT EXISTS actions_live_target ON actions (target) WHERE status IN ('pending', 'in-doubt');
CREATE INDEX IF NOT EXISTS actions_unsettled ON actions (lease_until) WHERE status IN ('pending', 'in-doubt');
CREATE INDEX IF NOT EXISTS actions_finding ON actions (finding_id, seq DESC);
CREATE INDEX IF NOT EXISTS actions_status ON actions (status, seq DESC);
CREATE INDEX IF NOT EXISTS actions_bulk ON actions (bulk_id) WHERE bulk_id IS NOT NULL;

-- Append-only: one row per event of an action (requested, then each outcome). The triggers refuse UPDATE, DELETE
-- and TRUNCATE from any role, the table's owner included (Recon often connects as it); Recon never drops them.
CREATE TABLE IF NOT EXISTS audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  action_id uuid NOT NULL,
  event text NOT NULL,
  actor text NOT NULL,
  role text NOT NULL,
  action text NOT NULL,
  target text NOT NULL,
  idempotency_key text NOT NULL,
  reason text NOT NULL,
  outcome text NOT NULL,
  detail text
);
CREATE INDEX IF NOT EXISTS audit_log_action ON audit_log (action_id, id);

CREATE OR REPLACE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log;
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

-- A redrive whose dispatch already exists settles the letter without republishing it.
ALTER TABLE dead_letters DROP CONSTRAINT IF EXISTS dead_letters_state_check;
ALTER TABLE dead_letters ADD CONSTRAINT dead_letters_state_check
  CHECK (state IN ('stored', 'redriven', 'discarded', 'consistent'));

-- Operators: sign-in names, scrypt password hashes and roles.
CREATE TABLE IF NOT EXISTS users (
  name text PRIMARY KEY,
  password_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
