import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { FaultLedger } from './faults.ts';

const POLL_MS = 300;
/** An order whose dispatch has not appeared by then (consumer down, message dead-lettered) is let go. */
const GIVE_UP_MS = 120_000;

export interface LostDispatchWorker {
  /** Deletes the order's dispatch as soon as it exists: data loss in the dispatch database. */
  enqueue(orderId: string): void;
  pendingCount(): number;
  stop(): Promise<void>;
}

export function startLostDispatchWorker({
  pool,
  ledger,
  log,
}: {
  pool: Pool;
  ledger: FaultLedger;
  log: Logger;
}): LostDispatchWorker {
  const pending = new Map<string, number>();
  let isRunning = true;

  const tick = async () => {
    if (pending.size === 0) return;
    const { rows } = await pool.query<{ order_id: string; message_id: string | null }>(
      'DELETE FROM dispatches WHERE order_id = ANY($1::uuid[]) RETURNING order_id, message_id',
      [[...pending.keys()]],
    );
    const seen = new Set<string>();
    for (const row of rows) {
      if (seen.has(row.order_id)) continue;
      seen.add(row.order_id);
      pending.delete(row.order_id);
      await ledger.record('lost-dispatch', { orderId: row.order_id, messageId: row.message_id });
    }
    const now = Date.now();
    for (const [orderId, enqueuedAt] of pending) {
      if (now - enqueuedAt > GIVE_UP_MS) {
        pending.delete(orderId);
        log.warn({ orderId }, 'lost-dispatch: no dispatch appeared; giving up on this order');
      }
    }
  };

  const loop = (async () => {
    while (isRunning) {
      await tick().catch((err: Error) => log.warn({ err: err.message }, 'lost-dispatch tick failed'));
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  })();

  return {
    enqueue: (orderId) => void pending.set(orderId, Date.now()),
    pendingCount: () => pending.size,
    async stop() {
      isRunning = false;
      await loop;
    },
  };
}
