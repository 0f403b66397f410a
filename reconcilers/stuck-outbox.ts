import { done, type Repair, superseded, toPublishOutcome } from './repair-types.ts';
import type { Judgement, OrdersPort, OutboxRow } from './types.ts';

export const KIND = 'stuck-outbox';
/** Unconfirmed rows read per cycle; past it, open findings are looked up one by one by message id instead. */
const UNCONFIRMED_LIMIT = 10_000;

export interface StuckOutboxSnapshot {
  /** Every unconfirmed outbox row old enough to judge; undefined when the orders database was not read. */
  unconfirmed: readonly OutboxRow[] | undefined;
  /** Message ids of the open stuck-outbox findings, re-checked every cycle. */
  openKeys: readonly string[];
}

/**
 * An outbox row still unconfirmed after the grace period: the relay never got (or never recorded) the broker's
 * confirm, so the order's message may never have gone out. Keyed by the outbox message id.
 */
function detect(snapshot: StuckOutboxSnapshot, now: Date, graceMs: number): Judgement[] {
  if (!snapshot.unconfirmed) {
    return snapshot.openKeys.map((key) => ({ kind: KIND, key, verdict: 'unknown', severity: 'warning' }));
  }
  const judgements: Judgement[] = [];
  const stuck = new Set<string>();
  for (const row of snapshot.unconfirmed) {
    if (now.getTime() - row.createdAt.getTime() < graceMs) continue;
    stuck.add(row.messageId);
    judgements.push({
      kind: KIND,
      key: row.messageId,
      verdict: 'mismatch',
      severity: 'warning',
      evidence: {
        messageId: row.messageId,
        orderId: row.aggregateId,
        eventType: row.eventType,
        createdAt: row.createdAt.toISOString(),
        publishedAt: row.publishedAt?.toISOString() ?? null,
        attempts: row.attempts,
        lastError: row.lastError,
      },
    });
  }
  // The unconfirmed set was read whole, so an open finding missing from it has been confirmed (or deleted).
  for (const key of snapshot.openKeys) {
    if (!stuck.has(key)) judgements.push({ kind: KIND, key, verdict: 'ok', severity: 'warning' });
  }
  return judgements;
}

/**
 * Reads every unconfirmed outbox row (young ones included, for the oldest-pending metric) plus the rows of open
 * findings that did not fit in the list, so an open finding is never resolved because of the read limit.
 */
async function gather(orders: OrdersPort, openKeys: readonly string[], now: Date): Promise<StuckOutboxSnapshot> {
  const unconfirmed = await orders.listUnconfirmedOutbox(now, UNCONFIRMED_LIMIT);
  if (unconfirmed.length < UNCONFIRMED_LIMIT) return { unconfirmed, openKeys };
  const listed = new Set(unconfirmed.map((row) => row.messageId));
  const missing = openKeys.filter((key) => !listed.has(key));
  const rows = missing.length ? await orders.findOutboxByMessageIds(missing) : [];
  return { unconfirmed: [...unconfirmed, ...rows.filter((row) => !row.confirmedAt)], openKeys };
}

/**
 * `republish`: publish the outbox row with its own message id (the consumer never committed it, or its inbox
 * absorbs the copy) and mark it confirmed only once the broker confirmed it.
 */
const republish: Repair = async ({ key: messageId, isRetry }, ports) => {
  const row = await ports.orders.getOutbox(messageId);
  if (!row) return superseded(`outbox message ${messageId} no longer exists`);
  if (row.confirmedAt)
    return isRetry ? done(`outbox message ${messageId} is confirmed`) : superseded('confirmed meanwhile');
  // A crash between the confirm and marking the row: the inbox shows the message arrived; do not publish again.
  if (isRetry && (await ports.dispatch.isProcessed(messageId))) {
    await ports.orders.markOutboxConfirmed(messageId);
    return done(`outbox message ${messageId} was delivered and processed`);
  }
  const { exchange } = ports.orderCreated;
  const result = await ports.publisher.publish({
    exchange,
    routingKey: row.eventType,
    body: Buffer.from(JSON.stringify(row.payload)),
    messageId,
    contentType: 'application/json',
    headers: {},
  });
  const outcome = toPublishOutcome(
    result,
    `${row.eventType} ${messageId} of order ${row.aggregateId} to exchange ${exchange}`,
  );
  if (outcome.status === 'done') await ports.orders.markOutboxConfirmed(messageId);
  return outcome;
};

export const stuckOutbox = { kind: KIND, gather, detect } as const;
export const stuckOutboxRepairs = { republish } as const;
