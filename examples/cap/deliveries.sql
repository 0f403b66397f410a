-- The delivery service's table (the dispatch database). It learns of orders from CAP's "order.created" (group
-- delivery.v1) and keeps the order's number as text, as it came in the message: a varchar reference to a bigint
-- id in another database, which Recon compares in one canonical form. Its CAP inbox is "cap"."received" (load
-- cap.sql into this database too).

CREATE TABLE deliveries (
    id bigserial PRIMARY KEY,
    order_ref varchar(32) NOT NULL,
    state varchar(16) NOT NULL,             -- ASSIGNED, PICKED_UP, DELIVERED, CANCELLED
    courier varchar(64),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX ix_deliveries_order_ref ON deliveries (order_ref);
CREATE INDEX ix_deliveries_updated_at_id ON deliveries (updated_at, id);
