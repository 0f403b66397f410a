-- Dead letters Recon took custody of (DESIGN: Dead letters). A row commits before the broker gets its ack, so a
-- message acked by Recon is always here; dedupe_key makes a repeat delivery of the same message a no-op.
CREATE TABLE IF NOT EXISTS dead_letters (
  id bigserial PRIMARY KEY,
  -- The dead-letter queue it was consumed from (configuration names it, so it is a bounded metric label).
  queue text NOT NULL,
  message_id text,
  -- The AMQP message_id, or a sha256 surrogate when the message has none (see server/adapters/dead-letter-record.ts).
  dedupe_key text NOT NULL UNIQUE,
  received_at timestamptz NOT NULL DEFAULT now(),
  -- At most RECON_DEAD_LETTER_MAX_BYTES of the body; body_size is the true size.
  body bytea NOT NULL,
  body_size int NOT NULL,
  body_truncated boolean NOT NULL,
  -- Valid UTF-8 JSON, whole, and shallow enough to handle: only such bodies are decoded by SQL (search) or the API.
  is_parseable boolean NOT NULL,
  content_type text,
  properties jsonb NOT NULL DEFAULT '{}',
  headers jsonb NOT NULL DEFAULT '{}',
  -- x-death as Recon normalised it: most recent death first.
  x_death jsonb NOT NULL DEFAULT '[]',
  -- Of the most recent death; 'unknown' when the message carries no x-death (published straight into the queue).
  reason text NOT NULL,
  death_count int NOT NULL DEFAULT 0,
  origin_exchange text,
  origin_routing_keys text[] NOT NULL DEFAULT '{}',
  first_death_queue text,
  -- Only from a body that parses as a JSON object with a uuid-shaped orderId.
  order_id text,
  state text NOT NULL DEFAULT 'stored' CHECK (state IN ('stored', 'redriven', 'discarded')),
  state_reason text
);
-- Listing is newest first by id (bigserial follows arrival); the filters below narrow it.
CREATE INDEX IF NOT EXISTS dead_letters_order_id ON dead_letters (order_id) WHERE order_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS dead_letters_message_id ON dead_letters (message_id) WHERE message_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS dead_letters_reason ON dead_letters (reason, id DESC);
CREATE INDEX IF NOT EXISTS dead_letters_received_at ON dead_letters (received_at DESC);
-- recon_dead_letters{queue,reason} counts the letters still awaiting an operator.
CREATE INDEX IF NOT EXISTS dead_letters_stored ON dead_letters (queue, reason) WHERE state = 'stored';
