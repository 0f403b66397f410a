-- The orders database of the CAP-shaped benchmark flow: the reference system's orders, with 19-digit snowflake
-- order numbers instead of uuids, and CAP's outbox (examples/cap/cap.sql, loaded before this file) instead of the
-- reference outbox. The indexes are the ones `npm run check` asks for.
CREATE TABLE purchase_order (
  order_no bigint PRIMARY KEY,
  customer_id text NOT NULL,
  items jsonb NOT NULL,
  total_cents int NOT NULL,
  state text NOT NULL,
  placed_at timestamptz NOT NULL,
  last_modified_at timestamptz NOT NULL
);
CREATE INDEX purchase_order_modified ON purchase_order (last_modified_at, order_no);
-- CAP keeps published rows until they expire: the rows not yet Succeeded are a few among many.
CREATE INDEX published_pending ON cap.published ("Added") WHERE "StatusName" <> 'Succeeded';
