-- The dispatch database of the CAP-shaped benchmark flow: the reference system's dispatches, with the order number
-- held as text (varchar), as a delivery service written apart from the shop often does.
CREATE TABLE delivery (
  id bigserial PRIMARY KEY,
  order_ref varchar(32) NOT NULL,
  message_id text,
  courier text NOT NULL,
  state text NOT NULL,
  order_snapshot jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX delivery_order_ref ON delivery (order_ref);
CREATE INDEX delivery_updated ON delivery (updated_at, id);
