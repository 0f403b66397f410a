import { defineKind, type GraceSettings } from '../define-kind.ts';
import type { OutboxRecord } from '../ports/repair.ts';
import { defineRepair, done, holds, settle, superseded, toPublishOutcome } from '../repair.ts';
import type { OutboxSnapshot } from '../snapshots/outbox.ts';
import { type Judgement, judgementsOf } from '../vocabulary.ts';

const KIND = 'stuck-outbox';

export interface StuckOutboxEvidence {
  messageId: string;
  orderId: string;
  eventType: string;
  createdAt: string;
  publishedAt: string | null;
  attempts: number;
  lastError: string | null;
}

const judge = judgementsOf<typeof KIND, StuckOutboxEvidence>(KIND, 'warning');

/**
 * An outbox row still unconfirmed after the grace period: the relay never got (or never recorded) the broker's
 * confirm, so the order's message may never have gone out. Keyed by the outbox message id.
 */
function detect(snapshot: OutboxSnapshot, now: Date, { graceMs }: GraceSettings) {
  if (!snapshot.unconfirmed) return snapshot.openKeys.map(judge.unknown);
  const judgements: Judgement<typeof KIND, StuckOutboxEvidence>[] = [];
  const stuck = new Set<string>();
  for (const row of snapshot.unconfirmed) {
    if (now.getTime() - row.createdAt.getTime() < graceMs) continue;
    stuck.add(row.messageId);
    judgements.push(
      judge.mismatch(row.messageId, {
        messageId: row.messageId,
        orderId: row.aggregateId,
        eventType: row.eventType,
        createdAt: row.createdAt.toISOString(),
        publishedAt: row.publishedAt?.toISOString() ?? null,
        attempts: row.attempts,
        lastError: row.lastError,
      }),
    );
  }
  // The unconfirmed set was read whole, so an open finding missing from it has been confirmed (or deleted).
  for (const key of snapshot.openKeys) if (!stuck.has(key)) judgements.push(judge.ok(key));
  return judgements;
}

/**
 * `republish`: publish the outbox row with its own message id (the consumer never committed it, or its inbox
 * absorbs the copy) and mark it confirmed only once the broker confirmed it.
 */
const republish = defineRepair<StuckOutboxEvidence, OutboxRecord>({
  describe: (e) =>
    `Republish outbox message ${e.messageId} of order ${e.orderId} and mark it confirmed on the broker's confirm`,
  target: (_e, messageId) => `outbox:${messageId}`,
  async premise({ evidence: { messageId }, isRetry }, ports) {
    const row = await ports.orders.getOutbox(messageId);
    if (!row) return settle(superseded(`outbox message ${messageId} no longer exists`));
    if (row.confirmedAt)
      return settle(isRetry ? done(`outbox message ${messageId} is confirmed`) : superseded('confirmed meanwhile'));
    // A crash between the confirm and marking the row: the inbox shows the message arrived; do not publish again.
    if (isRetry && (await ports.dispatch.isProcessed(messageId))) {
      await ports.orders.markOutboxConfirmed(messageId);
      return settle(done(`outbox message ${messageId} was delivered and processed`));
    }
    return holds(row);
  },
  async effect(_request, row, ports) {
    const { exchange } = ports.orderCreated;
    const result = await ports.publisher.publish({
      exchange,
      routingKey: row.eventType,
      body: Buffer.from(JSON.stringify(row.payload)),
      messageId: row.messageId,
      contentType: 'application/json',
      headers: {},
    });
    const outcome = toPublishOutcome(
      result,
      `${row.eventType} ${row.messageId} of order ${row.aggregateId} to exchange ${exchange}`,
    );
    if (outcome.status === 'done') await ports.orders.markOutboxConfirmed(row.messageId);
    return outcome;
  },
});

export const stuckOutbox = defineKind({
  kind: KIND,
  title: 'Stuck outbox message',
  severity: 'warning',
  reads: 'outbox',
  detect,
  explain: (e: StuckOutboxEvidence) =>
    `Outbox message ${e.messageId} (${e.eventType}) of order ${e.orderId} was written at ${e.createdAt} and the ` +
    `broker never confirmed it (${e.attempts} attempt(s)${e.lastError ? `; last error: ${e.lastError}` : ''}).`,
  example: {
    key: '7d1c0f7e-4a55-4b4e-9a51-0c7bb0c0f001',
    evidence: {
      messageId: '7d1c0f7e-4a55-4b4e-9a51-0c7bb0c0f001',
      orderId: '8c1f2a3b-0d4e-4f50-8a6b-7c8d9e0f1a2b',
      eventType: 'order.created',
      createdAt: '2026-11-23T12:00:00.000Z',
      publishedAt: '2026-11-23T12:00:00.050Z',
      attempts: 1,
      lastError: null,
    },
  },
  subjects: (e) => ({ orderId: e.orderId, messageId: e.messageId }),
  repairs: { republish },
});
