import type { Finding } from '../../reconcilers/registry.ts';
import type { DeadLetterSummary } from '../store/dead-letter-types.ts';
import type { TimelineRows } from './timeline.ts';
import type { TimelineEventJson, TimelineSource } from './wire.ts';

// Merges an order's rows and findings into one time-ordered story, so an operator reads "created → published →
// confirmed → assigned" and sees where it stopped. Pure: the route passes what it read.

export type TimelineEvent = Omit<TimelineEventJson, 'at'> & { at: Date };

type Row = Record<string, unknown>;

export function toTimelineEvents(
  rows: TimelineRows,
  findings: readonly Finding[],
  deadLetters: readonly DeadLetterSummary[] = [],
): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  const push = (at: Date | null, source: TimelineSource, type: string, detail: TimelineEvent['detail']) => {
    if (at) events.push({ at, source, type, detail });
  };

  const order = asRow(rows.order);
  if (order) {
    const created = dateOf(order, 'createdAt');
    const updated = dateOf(order, 'updatedAt');
    push(created, 'order', 'created', { status: textOf(order, 'status') });
    if (updated && created && updated > created) push(updated, 'order', 'updated', { status: textOf(order, 'status') });
  }
  for (const row of rows.outbox.map(asRow)) {
    if (!row) continue;
    const messageId = textOf(row, 'messageId');
    push(dateOf(row, 'createdAt'), 'outbox', 'created', { messageId, eventType: textOf(row, 'eventType') });
    push(dateOf(row, 'publishedAt'), 'outbox', 'published', { messageId, attempts: numberOf(row, 'attempts') });
    push(dateOf(row, 'confirmedAt'), 'outbox', 'confirmed', { messageId });
  }
  for (const row of rows.dispatches.map(asRow)) {
    if (!row) continue;
    const created = dateOf(row, 'createdAt');
    const updated = dateOf(row, 'updatedAt');
    const dispatchId = textOf(row, 'id');
    push(created, 'dispatch', 'assigned', {
      dispatchId,
      courier: textOf(row, 'courier'),
      messageId: textOf(row, 'messageId'),
    });
    if (updated && created && updated > created) {
      push(updated, 'dispatch', 'updated', { dispatchId, status: textOf(row, 'status') });
    }
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

function asRow(value: unknown): Row | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Row) : null;
}

// The port hands rows through as its implementation read them: accept the mapped camelCase name and the
// reference schema's snake_case column, whichever is there.
function field(row: Row, camel: string): unknown {
  return row[camel] ?? row[camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)];
}

function dateOf(row: Row, name: string): Date | null {
  const value = field(row, name);
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : null;
  return date && !Number.isNaN(date.getTime()) ? date : null;
}

function textOf(row: Row, name: string): string | null {
  const value = field(row, name);
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' ? String(value) : null;
}

function numberOf(row: Row, name: string): number | null {
  const value = field(row, name);
  return typeof value === 'number' ? value : null;
}
