import type { DatabaseSource, Flow } from '../../server/watched-system/model.ts';

// Flows as the watched-system loader resolves them, built by hand for adapter tests: the reference system's, and
// others described by their differences from it.

export const UTC: DatabaseSource = { url: 'unused', timeZone: 'UTC' };

export function makeReferenceFlow(): Flow {
  return {
    name: 'orders',
    order: {
      database: 'orders',
      table: 'orders',
      id: 'id',
      createdAt: 'created_at',
      updatedAt: 'updated_at',
      status: 'status',
      needsDispatch: null,
      snapshot: {
        orderIdPath: '$.orderId',
        createdAtPath: '$.createdAt',
        columns: { customer_id: '$.customerId', items: '$.items', total_cents: '$.totalCents' },
      },
      madeUpStatus: 'replenished',
    },
    outbox: {
      preset: 'timestamps',
      database: 'orders',
      table: 'outbox',
      pending: { kind: 'column-null', column: 'confirmed_at' },
      delayed: null,
      failed: null,
      filter: null,
      messageId: { column: 'message_id' },
      orderId: { column: 'aggregate_id' },
      createdAt: 'created_at',
      eventType: 'event_type',
      publishedAt: 'published_at',
      attempts: 'attempts',
      lastError: 'last_error',
      payload: { column: 'payload' },
      headers: null,
      markPublished: [
        { column: 'confirmed_at', value: { now: true } },
        { column: 'published_at', value: { now: true, onlyIfNull: true } },
      ],
    },
    message: {
      exchange: 'orders',
      routingKey: 'order.created',
      orderIdPath: '$.orderId',
      body: {
        orderId: 'id',
        customerId: 'customer_id',
        items: 'items',
        totalCents: 'total_cents',
        createdAt: 'created_at',
      },
      headers: {},
      messageIdHeader: null,
      envelope: null,
    },
    dispatch: {
      database: 'dispatch',
      table: 'dispatches',
      id: 'id',
      orderId: 'order_id',
      messageId: 'message_id',
      status: 'status',
      cancelledStatuses: ['cancelled'],
      createdAt: 'created_at',
      updatedAt: 'updated_at',
      orderSnapshot: 'order_snapshot',
      courier: 'courier',
    },
    inbox: {
      preset: 'table',
      database: 'dispatch',
      table: 'processed_messages',
      messageId: { column: 'message_id' },
      filter: null,
      processedAt: 'processed_at',
    },
    deadLetterQueues: [{ queue: 'dispatch.order-created.dlq', style: 'dead-letter-exchange' }],
  };
}
