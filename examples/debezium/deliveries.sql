-- The dispatch database: the delivery service's deliveries, made from the OrderCreated events Debezium published.
-- order_ref is the order's text id as the event carried it; order_snapshot is that event's payload.
CREATE TABLE deliveries (
  id             bigserial PRIMARY KEY,
  order_ref      varchar(32) NOT NULL,
  status         varchar(16) NOT NULL,  -- ASSIGNED, PICKED_UP, DELIVERED, CANCELLED
  courier        text,
  order_snapshot jsonb NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);

-- Recon looks deliveries up by order, and reads the ones changed since its last cycle.
CREATE INDEX deliveries_order_ref ON deliveries (order_ref);
CREATE INDEX deliveries_updated_at_id ON deliveries (updated_at, id);
