-- The dispatch service's database: courier assignments and the consumer's inbox.
CREATE TABLE IF NOT EXISTS dispatches (
  id bigserial PRIMARY KEY,
  order_id uuid NOT NULL,
  message_id uuid,
  courier text NOT NULL,
  status text NOT NULL,
  order_snapshot jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- Deliberately not unique: a non-idempotent consumer must be able to double-dispatch, so Recon can see it.
CREATE INDEX IF NOT EXISTS dispatches_order_id ON dispatches (order_id);
CREATE INDEX IF NOT EXISTS dispatches_updated_at_id ON dispatches (updated_at, id);

CREATE TABLE IF NOT EXISTS processed_messages (
  message_id uuid PRIMARY KEY,
  processed_at timestamptz NOT NULL DEFAULT now()
);
