-- The order service's database: orders, the transactional outbox, and the demo's ground-truth fault ledger.
CREATE TABLE IF NOT EXISTS orders (
  id uuid PRIMARY KEY,
  customer_id text NOT NULL,
  items jsonb NOT NULL,
  total_cents int NOT NULL,
  status text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS orders_updated_at_id ON orders (updated_at, id);

CREATE TABLE IF NOT EXISTS outbox (
  id bigserial PRIMARY KEY,
  message_id uuid NOT NULL UNIQUE,
  aggregate_id uuid NOT NULL,
  event_type text NOT NULL,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  confirmed_at timestamptz,
  attempts int NOT NULL DEFAULT 0,
  last_error text,
  -- The relay's schedule. NULL while a relay holds the row in flight: a relay that dies then leaves it stuck,
  -- which is exactly the failure Recon's stuck-outbox rule exists to catch.
  next_attempt_at timestamptz DEFAULT now()
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (next_attempt_at) WHERE confirmed_at IS NULL;
CREATE INDEX IF NOT EXISTS outbox_unconfirmed_created ON outbox (created_at, id) WHERE confirmed_at IS NULL;
CREATE INDEX IF NOT EXISTS outbox_aggregate ON outbox (aggregate_id);

CREATE TABLE IF NOT EXISTS demo_faults (
  id bigserial PRIMARY KEY,
  kind text NOT NULL,
  order_id uuid,
  message_id uuid,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS demo_faults_kind ON demo_faults (kind, at);
