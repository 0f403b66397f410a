-- The orders database of a shop whose order service writes Debezium's outboxevent (outboxevent.sql) in the
-- transaction that places the order, and deletes it there too. Order ids are text ('ORD-000123').
CREATE TABLE orders (
  id          text PRIMARY KEY CHECK (id <> ''),
  customer_id text NOT NULL,
  total_cents integer NOT NULL,
  status      text NOT NULL,            -- PLACED, PAID, CANCELLED; RESTORED when Recon made it up from a delivery
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Recon's incremental cycle reads the orders changed since its last cycle, in (updated_at, id) order.
CREATE INDEX orders_updated_at_id ON orders (updated_at, id);
