-- Which order and which message a finding is about, as columns each kind fills from its typed evidence (its
-- `subjects`), so search and an order's timeline never read evidence by key name. Findings written before this
-- migration named both as evidence keys: they are copied once, here.
ALTER TABLE findings ADD COLUMN IF NOT EXISTS order_id text;
ALTER TABLE findings ADD COLUMN IF NOT EXISTS message_id text;
UPDATE findings SET order_id = evidence ->> 'orderId', message_id = evidence ->> 'messageId'
  WHERE order_id IS NULL AND message_id IS NULL;
CREATE INDEX IF NOT EXISTS findings_order_id ON findings (order_id) WHERE order_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS findings_message_id ON findings (message_id) WHERE message_id IS NOT NULL;
DROP INDEX IF EXISTS findings_evidence_order_id;
DROP INDEX IF EXISTS findings_evidence_message_id;
