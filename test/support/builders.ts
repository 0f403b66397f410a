import type { DispatchRow, OrderRow, OutboxRow } from '../../reconcilers/ports/business-db.ts';
import type { OrderDispatchSnapshot } from '../../reconcilers/snapshots/order-dispatch.ts';

export const NOW = new Date('2026-11-23T12:00:00.000Z');
export const GRACE_MS = 60_000;
export const secondsAgo = (s: number) => new Date(NOW.getTime() - s * 1000);

export const ORDER_ID = '8c1f2a3b-0d4e-4f50-8a6b-7c8d9e0f1a2b';

export function makeOrder(overrides: Partial<OrderRow> = {}): OrderRow {
  return {
    id: ORDER_ID,
    position: '',
    status: 'created',
    needsDispatch: true,
    createdAt: secondsAgo(600),
    updatedAt: secondsAgo(600),
    ...overrides,
  };
}

let nextDispatchId = 1;
export function makeDispatch(overrides: Partial<DispatchRow> = {}): DispatchRow {
  return {
    id: String(nextDispatchId++),
    position: '',
    orderId: ORDER_ID,
    orderIdProblem: null,
    messageId: '7d1c0f7e-4a55-4b4e-9a51-0c7bb0c0f001',
    status: 'assigned',
    isLive: true,
    createdAt: secondsAgo(590),
    updatedAt: secondsAgo(590),
    ...overrides,
  };
}

export function makeOutboxRow(overrides: Partial<OutboxRow> = {}): OutboxRow {
  return {
    messageId: '7d1c0f7e-4a55-4b4e-9a51-0c7bb0c0f001',
    orderId: ORDER_ID,
    eventType: 'order.created',
    createdAt: secondsAgo(600),
    delayedUntil: null,
    publishedAt: secondsAgo(600),
    attempts: 1,
    lastError: null,
    hasFailed: false,
    ...overrides,
  };
}

/** A snapshot of one or more order ids; pass `orders: undefined` or `dispatches: undefined` for an unread side. */
export function makeSnapshot(
  parts: { orders?: OrderRow[] | undefined; dispatches?: DispatchRow[] | undefined; orderIds?: string[] } = {},
): OrderDispatchSnapshot {
  const orders = 'orders' in parts ? parts.orders : [];
  const dispatches = 'dispatches' in parts ? parts.dispatches : [];
  const orderIds = parts.orderIds ?? [ORDER_ID];
  const grouped = new Map<string, DispatchRow[]>();
  for (const d of dispatches ?? []) grouped.set(d.orderId, [...(grouped.get(d.orderId) ?? []), d]);
  return {
    orderIds,
    orders: orders ? new Map(orders.map((o) => [o.id, o])) : undefined,
    dispatches: dispatches ? grouped : undefined,
  };
}
