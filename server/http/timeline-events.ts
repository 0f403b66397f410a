import type { OrderHistory } from '../../reconcilers/ports/timeline.ts';
import type { Finding } from '../../reconcilers/registry.ts';
import type { DeadLetterSummary } from '../store/dead-letter-types.ts';
import type { TimelineEventJson, TimelineSource } from './wire.ts';

// Merges an order's history and findings into one time-ordered story, so an operator reads "created → published →
// confirmed → assigned" and sees where it stopped. Pure: the route passes what it read, already mapped to facts.

export type TimelineEvent = Omit<TimelineEventJson, 'at'> & { at: Date };

export function toTimelineEvents(
  history: OrderHistory,
  findings: readonly Finding[],
  deadLetters: readonly DeadLetterSummary[] = [],
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
  for (const dispatch of history.dispatches) {
    const dispatchId = dispatch.id;
    push(dispatch.createdAt, 'dispatch', 'assigned', {
      dispatchId,
      courier: dispatch.courier,
      messageId: dispatch.messageId,
    });
    if (isLater(dispatch.updatedAt, dispatch.createdAt))
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
  // Array.prototype.sort is stable: on equal times the insertion order (order, outbox, dispatch, dead letter,
  // finding) holds, which is also the causal order of the happy path.
  return events.sort((a, b) => a.at.getTime() - b.at.getTime());
}
