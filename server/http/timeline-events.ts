import type { OrderHistory, OrderHistoryInboxRecord } from '../../reconcilers/ports/timeline.ts';
import type { Finding } from '../../reconcilers/registry.ts';
import type { ActionRecord } from '../store/action-types.ts';
import type { DeadLetterSummary } from '../store/dead-letter-types.ts';
import type { TimelineEventJson, TimelineSource } from './wire.ts';

// Merges an order's history and findings into one time-ordered story, so an operator reads "created → published →
// confirmed → processed → assigned" and sees where it stopped: no inbox record means the consumer never processed
// the message; an inbox record with no live dispatch means the dispatch was cancelled (shown) or deleted (nothing
// left to show). Pure: the route passes what it read, already mapped to facts.

export type TimelineEvent = Omit<TimelineEventJson, 'at'> & { at: Date };

export function toTimelineEvents(
  history: OrderHistory,
  findings: readonly Finding[],
  deadLetters: readonly DeadLetterSummary[] = [],
  inbox: readonly OrderHistoryInboxRecord[] = [],
  actions: readonly ActionRecord[] = [],
): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  const push = (at: Date | null, source: TimelineSource, type: string, detail: TimelineEvent['detail']) => {
    if (at) events.push({ at, source, type, detail });
  };
  const isLater = (later: Date | null, earlier: Date | null): later is Date => !!later && !!earlier && later > earlier;

  const { order } = history;
  if (order) {
    push(order.createdAt, 'order', 'created', { status: order.status });
    if (isLater(order.updatedAt, order.createdAt)) push(order.updatedAt, 'order', 'updated', { status: order.status });
  }
  for (const row of history.outbox) {
    const { messageId } = row;
    push(row.createdAt, 'outbox', 'created', { messageId, eventType: row.eventType });
    push(row.publishedAt, 'outbox', 'published', { messageId, attempts: row.attempts });
    push(row.confirmedAt, 'outbox', 'confirmed', { messageId });
  }
  for (const record of inbox) push(record.processedAt, 'inbox', 'processed', { messageId: record.messageId });
  for (const dispatch of history.dispatches) {
    const dispatchId = dispatch.id;
    push(dispatch.createdAt, 'dispatch', 'assigned', {
      dispatchId,
      courier: dispatch.courier,
      messageId: dispatch.messageId,
    });
    // A cancelled dispatch's last change is taken as its cancellation (the row keeps no separate time for it).
    if (dispatch.isCancelled)
      push(dispatch.updatedAt ?? dispatch.createdAt, 'dispatch', 'cancelled', { dispatchId, status: dispatch.status });
    else if (isLater(dispatch.updatedAt, dispatch.createdAt))
      push(dispatch.updatedAt, 'dispatch', 'updated', { dispatchId, status: dispatch.status });
  }
  // When Recon took custody: the broker's own death time is in the letter's x-death.
  for (const d of deadLetters) {
    push(d.receivedAt, 'dead-letter', 'stored', {
      deadLetterId: d.id,
      queue: d.queue,
      reason: d.reason,
      messageId: d.messageId,
      state: d.state,
    });
  }
  for (const f of findings) {
    push(f.firstSeenAt, 'finding', 'opened', { findingId: f.id, kind: f.kind, severity: f.severity });
    push(f.resolvedAt, 'finding', 'resolved', { findingId: f.id, kind: f.kind });
  }
  // Recon's own: who asked for what, and how it settled (the event's type is the outcome: done, failed, …).
  for (const a of actions) {
    const { id: actionId, action } = a;
    push(a.createdAt, 'action', 'requested', { actionId, action, actor: a.actor, target: a.target, status: a.status });
    push(a.settledAt, 'action', a.status, { actionId, action, detail: a.detail });
  }
  // Array.prototype.sort is stable: on equal times the insertion order (order, outbox, inbox, dispatch, dead letter,
  // finding, action) holds, which is also the causal order of the happy path.
  return events.sort((a, b) => a.at.getTime() - b.at.getTime());
}
