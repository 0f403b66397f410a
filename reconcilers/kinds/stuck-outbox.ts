import { type Advice, defineKind, type GraceSettings } from '../define-kind.ts';
import type { OutboxRecord } from '../ports/repair.ts';
import { defineRepair, done, failed, holds, settle, superseded, toPublishOutcome } from '../repair.ts';
import type { OutboxSnapshot } from '../snapshots/outbox.ts';
import { type Judgement, judgementsOf } from '../vocabulary.ts';

const KIND = 'stuck-outbox';

export interface StuckOutboxEvidence {
  messageId: string;
  /** Null when the row does not say (its JSON lacks the configured path). */
  orderId: string | null;
  eventType: string | null;
  createdAt: string;
  publishedAt: string | null;
  attempts: number | null;
  lastError: string | null;
  /** The library gave up on it (a FAILED status), rather than it being late. */
  hasFailed: boolean;
}

const judge = judgementsOf<typeof KIND, StuckOutboxEvidence>(KIND, 'warning');

/**
 * An outbox row still not published after the grace period, or failed for good whatever its age: the relay never
 * got (or never recorded) the broker's confirm, so the order's message may never have gone out. "Not published" is
 * the outbox library's own rule (a null confirmation time, a status, a row that still exists). Keyed by the
 * outbox message id.
 */
function detect(snapshot: OutboxSnapshot, now: Date, { graceMs }: GraceSettings) {
  if (!snapshot.unpublished) return snapshot.openKeys.map(judge.unknown);
  const judgements: Judgement<typeof KIND, StuckOutboxEvidence>[] = [];
  const stuck = new Set<string>();
  for (const row of snapshot.unpublished) {
    // A delayed publish is due at its own time; the grace period counts from the later of the two.
    const dueAt = Math.max(row.createdAt.getTime(), row.delayedUntil?.getTime() ?? 0);
    if (!row.hasFailed && now.getTime() - dueAt < graceMs) continue;
    stuck.add(row.messageId);
    judgements.push(
      judge.mismatch(row.messageId, {
        messageId: row.messageId,
        orderId: row.orderId,
        eventType: row.eventType,
        createdAt: row.createdAt.toISOString(),
        publishedAt: row.publishedAt?.toISOString() ?? null,
        attempts: row.attempts,
        lastError: row.lastError,
        hasFailed: row.hasFailed,
      }),
    );
  }
  // The unpublished set was read whole, so an open finding missing from it has been confirmed (or deleted).
  for (const key of snapshot.openKeys) if (!stuck.has(key)) judgements.push(judge.ok(key));
  return judgements;
}

/**
 * `republish`: publish the outbox row's payload with its own message id and headers (the consumer never committed
 * it, or its inbox absorbs the copy) to the flow's configured exchange and routing key (never to a column such as
 * an event type, which may name a class rather than a route), and mark it published as its library does, only
 * once the broker confirmed it.
 */
const republish = defineRepair<StuckOutboxEvidence, OutboxRecord & { body: Buffer }>({
  requires: ['outbox-republish'],
  describe: (e) =>
    `Republish outbox message ${e.messageId} of order ${e.orderId ?? '(not named)'} and mark it published on the broker's confirm`,
  customerEffect: (e) =>
    `The consumer gets the message${e.orderId ? ` of order ${e.orderId}` : ''}, late (for an order: its courier is ` +
    'assigned); a copy it already processed is absorbed by its inbox (same message id).',
  whenToChoose:
    'The outbox library gave up on the row, or the relay runs again and this row stayed behind. Not while the relay ' +
    'is down: republishing one row does not bring the others out.',
  target: (_e, messageId) => `outbox:${messageId}`,
  async premise({ evidence: { messageId }, isRetry }, ports) {
    const row = await ports.orders.getOutbox(messageId);
    if (!row) return settle(superseded(`outbox message ${messageId} no longer exists`));
    if (row.isPublished)
      return settle(isRetry ? done(`outbox message ${messageId} is published`) : superseded('published meanwhile'));
    // A crash between the confirm and marking the row: the inbox shows the message arrived; do not publish again.
    if (isRetry && (await ports.dispatch.isProcessed(messageId))) {
      await ports.orders.markOutboxPublished(messageId);
      return settle(done(`outbox message ${messageId} was delivered and processed`));
    }
    if (row.body === null) return settle(failed(`outbox message ${messageId} has no payload to send again`));
    return holds({ ...row, body: row.body });
  },
  async effect(_request, row, ports) {
    const { exchange, routingKey, headers, messageIdHeader } = ports.messageRoute;
    const result = await ports.publisher.publish({
      exchange,
      routingKey,
      body: row.body,
      messageId: row.messageId,
      contentType: 'application/json',
      // As the library sends the row: its own headers, over the flow's fixed ones; the id is the row's.
      headers: {
        ...headers,
        ...row.headers,
        ...(messageIdHeader ? { [messageIdHeader]: row.messageId } : {}),
      },
    });
    const outcome = toPublishOutcome(
      result,
      `${routingKey || 'message'} ${row.messageId} of order ${row.orderId ?? '(not named)'} to exchange ${exchange || '(default)'}`,
    );
    if (outcome.status === 'done') await ports.orders.markOutboxPublished(row.messageId);
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
    `Outbox message ${e.messageId}${e.eventType ? ` (${e.eventType})` : ''} of order ${e.orderId ?? '(not named)'} ` +
    `was written at ${e.createdAt} and ${e.hasFailed ? 'its library gave up publishing it' : 'is still not published'}` +
    `${e.attempts === null ? '' : ` after ${e.attempts} attempt(s)`}${e.lastError ? `; last error: ${e.lastError}` : ''}.`,
  cause: causeOf,
  recommend: recommendFor,
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
      hasFailed: false,
    },
  },
  subjects: (e) => ({ orderId: e.orderId, messageId: e.messageId }),
  repairs: { republish },
});

function causeOf(e: StuckOutboxEvidence): string {
  if (e.hasFailed)
    return (
      `The outbox library gave up on it${e.attempts === null ? '' : ` after ${e.attempts} attempt(s)`}` +
      `${e.lastError ? ` (${e.lastError})` : ''}: it will not try again on its own.`
    );
  if (e.lastError)
    return `The relay keeps trying and failing (${e.lastError}): the broker refuses it or cannot be reached.`;
  return (
    'The relay has not published it and recorded no error: the relay is stopped, crashed before the confirm, or is ' +
    'far behind. Several stuck outbox findings at once point to the relay, not to this message.'
  );
}

function recommendFor(e: StuckOutboxEvidence): Advice<'republish'> {
  if (e.hasFailed)
    return {
      action: 'republish',
      why:
        'The library will not retry a failed row. Republish sends it with its own message id, so if it did arrive ' +
        "after all, the consumer's inbox absorbs the copy.",
    };
  return {
    action: null,
    why:
      'The relay still owns this row: make sure the relay runs (and the broker accepts) first; republish only if ' +
      'the row stays stuck once it does.',
  };
}
