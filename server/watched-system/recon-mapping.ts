import { z } from 'zod';
import type { FlowFile } from './file-schema.ts';
import { formatPath, type IssueList } from './issues.ts';
import type { FeatureNote } from './model.ts';

const identifier = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/,
    'must be a plain SQL identifier (optionally schema.name)',
  );

/** How Recon's rules map onto a system's own tables. Defaults: the reference system of DESIGN.md. */
export const mappingSchema = z
  .object({
    orders: z
      .object({
        table: identifier.default('orders'),
        id: identifier.default('id'),
        status: identifier.default('status'),
        createdAt: identifier.default('created_at'),
        updatedAt: identifier.default('updated_at'),
        customerId: identifier.default('customer_id'),
        items: identifier.default('items'),
        totalCents: identifier.default('total_cents'),
        /** Status of an order Recon made up from its dispatch (the replenisher's status in the reference system). */
        madeUpStatus: z.string().min(1).default('replenished'),
      })
      .prefault({}),
    outbox: z
      .object({
        table: identifier.default('outbox'),
        id: identifier.default('id'),
        messageId: identifier.default('message_id'),
        aggregateId: identifier.default('aggregate_id'),
        eventType: identifier.default('event_type'),
        createdAt: identifier.default('created_at'),
        publishedAt: identifier.default('published_at'),
        confirmedAt: identifier.default('confirmed_at'),
        attempts: identifier.default('attempts'),
        lastError: identifier.default('last_error'),
        payload: identifier.default('payload'),
      })
      .prefault({}),
    dispatches: z
      .object({
        table: identifier.default('dispatches'),
        id: identifier.default('id'),
        orderId: identifier.default('order_id'),
        messageId: identifier.default('message_id'),
        status: identifier.default('status'),
        createdAt: identifier.default('created_at'),
        updatedAt: identifier.default('updated_at'),
        orderSnapshot: identifier.default('order_snapshot'),
        /** Who rides for the dispatch, shown on the order's timeline; null when the table has no such column. */
        courier: identifier.nullable().default('courier'),
        /** Status values of a dispatch that no longer counts as the order's dispatch; cancel-dispatch sets the first. */
        cancelledStatuses: z.array(z.string()).min(1).default(['cancelled']),
      })
      .prefault({}),
    /** The consumer's inbox of processed message ids; null when the consumer keeps none. */
    inbox: z
      .object({ table: identifier.default('processed_messages'), messageId: identifier.default('message_id') })
      .nullable()
      .prefault({}),
    /** Where `order.created` is published (redeliver and republish). */
    messages: z
      .object({ exchange: z.string().default('orders'), orderCreatedRoutingKey: z.string().default('order.created') })
      .prefault({}),
  })
  .prefault({});

export type Mapping = z.infer<typeof mappingSchema>;

// RECON_MAPPING, the JSON that pointed Recon at other tables before the watched-system file, still works without a
// file: each of its keys becomes the file's key for the same column, so it resolves exactly as the file would.
// It is deprecated, and Recon says so at start.

/** The flow RECON_MAPPING describes (URLs and queues still come from their own variables), or null on issues. */
export function flowFromReconMapping(
  text: string,
  issues: IssueList,
): { flow: Omit<FlowFile, 'deadLetterQueues'>; note: FeatureNote } | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    issues.add('RECON_MAPPING', 'must be JSON, e.g. {"orders":{"table":"purchase_orders"}}');
    return null;
  }
  const parsed = mappingSchema.safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) issues.add(formatPath(['RECON_MAPPING', ...issue.path]), issue.message);
    return null;
  }
  return { flow: toFlow(parsed.data), note: deprecationNote(parsed.data) };
}

function toFlow({ orders: o, outbox: x, dispatches: d, inbox, messages }: Mapping): Omit<FlowFile, 'deadLetterQueues'> {
  return {
    order: {
      database: 'orders',
      table: o.table,
      id: o.id,
      createdAt: o.createdAt,
      updatedAt: o.updatedAt,
      status: o.status,
      madeUpStatus: o.madeUpStatus,
      snapshot: {
        orderIdPath: '$.orderId',
        createdAtPath: '$.createdAt',
        columns: { [o.customerId]: '$.customerId', [o.items]: '$.items', [o.totalCents]: '$.totalCents' },
      },
    },
    outbox: {
      preset: 'timestamps',
      table: x.table,
      confirmedAt: x.confirmedAt,
      messageId: { column: x.messageId },
      orderId: { column: x.aggregateId },
      createdAt: x.createdAt,
      eventType: x.eventType,
      publishedAt: x.publishedAt,
      attempts: x.attempts,
      lastError: x.lastError,
      payload: { column: x.payload },
    },
    message: {
      exchange: messages.exchange,
      routingKey: messages.orderCreatedRoutingKey,
      orderIdPath: '$.orderId',
      body: {
        orderId: o.id,
        customerId: o.customerId,
        items: o.items,
        totalCents: o.totalCents,
        createdAt: o.createdAt,
      },
    },
    dispatch: { database: 'dispatch', ...d },
    inbox: inbox === null ? null : { preset: 'table', table: inbox.table, messageId: { column: inbox.messageId } },
  };
}

function deprecationNote(mapping: Mapping): FeatureNote {
  // The model keys outbox rows by their message id (unique in every preset): the row id has no use any more.
  const unusedId =
    mapping.outbox.id === 'id' ? '' : `; RECON_MAPPING.outbox.id ("${mapping.outbox.id}") is not used any more`;
  return {
    feature: 'recon-mapping',
    isOn: true,
    detail: `RECON_MAPPING is deprecated in favour of the watched-system file (RECON_CONFIG, or ./recon.yaml)${unusedId}`,
  };
}
