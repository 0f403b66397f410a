-- The shop's orders database (with event-publication.sql beside it): what a Spring Data JDBC aggregate
-- `CustomerOrder` maps to. Orders are numbered by the database; OrderPlaced carries the number as `orderNo`.
CREATE TABLE customer_order (
  order_no         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_name    text        NOT NULL,
  delivery_address text        NOT NULL,
  total_cents      bigint      NOT NULL,
  -- PLACED, PAID, CANCELLED; RECOVERED for an order Recon made up from its delivery (recon.yaml: madeUpStatus).
  status           varchar(16) NOT NULL,
  placed_at        timestamptz NOT NULL DEFAULT now(),
  last_modified_at timestamptz NOT NULL DEFAULT now()
);
-- Recon reads changed orders by (updatedAt, id): without this index each cycle scans the table.
CREATE INDEX customer_order_last_modified_idx ON customer_order (last_modified_at, order_no);
