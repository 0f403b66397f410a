import { href } from '../routing/routes.ts';

// A finding's evidence as facts a person reads: one labelled row per field, ISO times shown as times, and the ids
// that have a page of their own linked to it (the order's timeline, where its dispatches and outbox rows are; the
// dead letter; every finding about a message). Any evidence shape works: a field this code does not know is shown
// as text, never dropped.

export interface FactValue {
  text: string;
  href?: string;
  /** ISO text: render it as a time in the UI's zone. */
  isTime?: boolean;
}

export interface Fact {
  /** The evidence field, for tests and the raw JSON. */
  name: string;
  label: string;
  values: FactValue[];
}

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

export function toEvidenceFacts(evidence: unknown): Fact[] {
  if (evidence === null || typeof evidence !== 'object' || Array.isArray(evidence)) return [];
  const fields = evidence as Record<string, unknown>;
  const orderId = typeof fields.orderId === 'string' ? fields.orderId : null;
  return Object.entries(fields).map(([name, value]) => ({
    name,
    label: toLabel(name),
    values: toValues(name, value, orderId),
  }));
}

/** `orderCreatedAt` → "Order created at". */
export const toLabel = (name: string) => {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

function toValues(name: string, value: unknown, orderId: string | null): FactValue[] {
  if (value === null || value === undefined) return [{ text: '—' }];
  if (Array.isArray(value)) {
    if (value.length === 0) return [{ text: 'none' }];
    return value.map((item) => (isDispatch(item) ? toDispatchValue(item, orderId) : toValue(name, item)));
  }
  return [toValue(name, value)];
}

function toValue(name: string, value: unknown): FactValue {
  if (typeof value !== 'string') return { text: typeof value === 'object' ? JSON.stringify(value) : String(value) };
  if (ISO_TIME.test(value)) return { text: value, isTime: true };
  if (name === 'orderId') return { text: value, href: href.order(value) };
  if (name === 'deadLetterId') return { text: `letter ${value}`, href: href.deadLetter(value) };
  if (name === 'messageId') return { text: value, href: href.findings({ q: value, state: 'all' }) };
  return { text: value };
}

interface DispatchLike {
  id: string;
  status: string | null;
  messageId?: string | null;
}

const isDispatch = (item: unknown): item is DispatchLike =>
  typeof item === 'object' && item !== null && 'id' in item && 'status' in item && 'createdAt' in item;

/** A dispatch has no page of its own: its order's timeline shows it beside the order and its messages. */
const toDispatchValue = (d: DispatchLike, orderId: string | null): FactValue => ({
  text: `dispatch ${d.id} (${d.status ?? 'no status'}${d.messageId ? `, from message ${d.messageId}` : ', no message'})`,
  ...(orderId ? { href: href.order(orderId) } : {}),
});
