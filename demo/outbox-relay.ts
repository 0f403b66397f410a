import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { ConfirmPublisher, PublishOutcome } from './confirm-publisher.ts';
import { type FaultLedger, type FaultRates, isChosen } from './faults.ts';
import { ORDERS_EXCHANGE } from './names.ts';

const BATCH_SIZE = 200;
const IDLE_POLL_MS = 250;
const RETRY_BASE_MS = 500;
const RETRY_MAX_MS = 30_000;
const SETTLE_ATTEMPTS = 5;

export interface OutboxRelay {
  /** Wakes the relay now instead of at its next poll. */
  kick(): void;
  /** Stops claiming rows and waits for the batch in flight to settle. */
  stop(): Promise<void>;
}

export interface OutboxRelayDeps {
  pool: Pool;
  log: Logger;
  faults: FaultRates;
  ledger: FaultLedger;
  getPublisher(): ConfirmPublisher | undefined;
  /** Simulates the relay process crashing: its broker connection drops and comes back. */
  crash(reason: string): void;
}

interface OutboxRow {
  id: string;
  message_id: string;
  aggregate_id: string;
  event_type: string;
  payload: unknown;
  attempts: number;
}

// Claiming sets next_attempt_at to NULL: the row is now in flight and only this relay settles it.
const CLAIM_DUE_ROWS = `UPDATE outbox SET next_attempt_at = NULL, published_at = now(), attempts = attempts + 1
  WHERE id IN (SELECT id FROM outbox WHERE confirmed_at IS NULL AND next_attempt_at <= now()
               ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
  RETURNING id, message_id, aggregate_id, event_type, payload, attempts`;
const MARK_CONFIRMED = 'UPDATE outbox SET confirmed_at = now(), last_error = NULL WHERE id = $1';
const SCHEDULE_RETRY = `UPDATE outbox SET next_attempt_at = now() + make_interval(secs => $2), last_error = $3
  WHERE id = $1 AND confirmed_at IS NULL`;

/**
 * Publishes outbox rows on a confirm channel and marks them confirmed only on the broker's ack. Nack, return,
 * timeout and a lost connection schedule a retry with backoff; the retry reuses the row's message id, so the
 * consumer's inbox absorbs a duplicate.
 */
export function startOutboxRelay({ pool, log, faults, ledger, getPublisher, crash }: OutboxRelayDeps): OutboxRelay {
  let isRunning = true;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const settle = async (row: OutboxRow, outcome: PublishOutcome): Promise<'crashed' | 'settled'> => {
    if (outcome.status === 'confirmed') {
      if (isChosen('relay-crash-before-confirm', row.message_id, faults['relay-crash-before-confirm'])) {
        await ledger.record('relay-crash-before-confirm', { orderId: row.aggregate_id, messageId: row.message_id });
        return 'crashed';
      }
      await pool.query(MARK_CONFIRMED, [row.id]);
      return 'settled';
    }
    const delaySeconds =
      (Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (row.attempts - 1)) * (0.5 + Math.random())) / 1000;
    await pool.query(SCHEDULE_RETRY, [row.id, delaySeconds, outcome.reason]);
    log.warn({ messageId: row.message_id, reason: outcome.reason, attempts: row.attempts }, 'publish failed; retrying');
    return 'settled';
  };

  const relayBatch = async (publisher: ConfirmPublisher): Promise<number> => {
    const { rows } = await pool.query<OutboxRow>(CLAIM_DUE_ROWS, [BATCH_SIZE]);
    const results = await Promise.all(
      rows.map(async (row) => {
        const outcome = await publisher.publish(
          ORDERS_EXCHANGE,
          row.event_type,
          Buffer.from(JSON.stringify(row.payload)),
          {
            messageId: row.message_id,
            persistent: true,
            contentType: 'application/json',
            type: row.event_type,
            timestamp: Math.floor(Date.now() / 1000),
          },
        );
        // A row whose settlement is lost would stay in flight for ever, so a database blip is retried.
        return retry(() => settle(row, outcome), SETTLE_ATTEMPTS);
      }),
    );
    if (results.includes('crashed')) crash('simulated relay crash before recording a confirm');
    return rows.length;
  };

  const loop = async () => {
    while (isRunning) {
      const publisher = getPublisher();
      let claimed = 0;
      if (publisher) {
        try {
          claimed = await relayBatch(publisher);
        } catch (err) {
          log.warn({ err: (err as Error).message }, 'relay batch failed');
        }
      }
      if (claimed < BATCH_SIZE && isRunning) await sleep(IDLE_POLL_MS);
    }
  };
  const done = loop();

  return {
    kick: () => wake?.(),
    async stop() {
      isRunning = false;
      wake?.();
      await done;
    },
  };
}

async function retry<T>(fn: () => Promise<T>, attempts: number): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}
