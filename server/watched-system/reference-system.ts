import type { WatchedSystemFile } from './file-schema.ts';
import type { DispatchEntity, MessageRoute, OrderEntity } from './model.ts';

// The reference system's names (DESIGN: "The reference system (demo/) — a wire contract"). Without a file Recon
// watches it exactly as before the file existed, its URLs and queues from the same environment variables with the
// same defaults. In a file, a key left out takes the reference system's name only where the table it belongs to is
// the reference system's (resolve-order.ts, resolve-dispatch.ts): Recon never reads a stand-in column.

export const REFERENCE_FLOW_NAME = 'orders';

export const REFERENCE_ORDER: Omit<OrderEntity, 'needsDispatch'> = {
  database: 'orders',
  table: 'orders',
  id: 'id',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  status: 'status',
  snapshot: {
    orderIdPath: '$.orderId',
    createdAtPath: '$.createdAt',
    columns: { customer_id: '$.customerId', items: '$.items', total_cents: '$.totalCents' },
  },
  madeUpStatus: 'replenished',
};

/** The body's fields besides the order's id and creation time, which follow `order.id` and `order.createdAt`. */
export const REFERENCE_BODY_COLUMNS = { customerId: 'customer_id', items: 'items', totalCents: 'total_cents' };

export const REFERENCE_MESSAGE: Omit<MessageRoute, 'body'> = {
  exchange: 'orders',
  routingKey: 'order.created',
  orderIdPath: '$.orderId',
  headers: {},
  messageIdHeader: null,
  envelope: null,
};

export const REFERENCE_DISPATCH: DispatchEntity = {
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
};

export const REFERENCE_ENV = {
  ORDERS_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/orders',
  DISPATCH_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/dispatch',
  RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672',
  RABBITMQ_MANAGEMENT_URL: 'http://guest:guest@127.0.0.1:15672',
  RECON_WATCHED_QUEUES: 'dispatch.order-created,orders.replenish,dispatch.order-created.dlq',
  RECON_DEAD_LETTER_QUEUES: 'dispatch.order-created.dlq',
} as const;

export const REFERENCE_DEAD_LETTER_QUEUES = toList(REFERENCE_ENV.RECON_DEAD_LETTER_QUEUES).map((queue) => ({
  queue,
  style: 'dead-letter-exchange' as const,
}));
export const REFERENCE_WATCHED_QUEUES = toList(REFERENCE_ENV.RECON_WATCHED_QUEUES);

/** Where each environment variable lands in the file: an issue at that path names the variable instead. */
export const ENV_PATHS: ReadonlyArray<readonly [path: string, variable: keyof typeof REFERENCE_ENV]> = [
  ['databases.orders.url', 'ORDERS_DATABASE_URL'],
  ['databases.dispatch.url', 'DISPATCH_DATABASE_URL'],
  ['broker.url', 'RABBITMQ_URL'],
  ['broker.management', 'RABBITMQ_MANAGEMENT_URL'],
  ['broker.watchedQueues', 'RECON_WATCHED_QUEUES'],
  ['flows[0].deadLetterQueues', 'RECON_DEAD_LETTER_QUEUES'],
];

/** The reference system as a file would say it, with its URLs and queues from the environment. */
export function referenceFile(env: Record<string, string | undefined>): WatchedSystemFile {
  const get = (name: keyof typeof REFERENCE_ENV) => env[name] ?? REFERENCE_ENV[name];
  return {
    databases: {
      [REFERENCE_ORDER.database]: { url: get('ORDERS_DATABASE_URL') },
      [REFERENCE_DISPATCH.database]: { url: get('DISPATCH_DATABASE_URL') },
    },
    broker: {
      url: get('RABBITMQ_URL'),
      management: get('RABBITMQ_MANAGEMENT_URL'),
      watchedQueues: toList(get('RECON_WATCHED_QUEUES')),
    },
    flows: [{ deadLetterQueues: toList(get('RECON_DEAD_LETTER_QUEUES')).map((queue) => ({ queue })) }],
  };
}

function toList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}
