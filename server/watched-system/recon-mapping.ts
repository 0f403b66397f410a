import { type Mapping, mappingSchema } from '../config.ts';
import type { FlowFile } from './file-schema.ts';
import { formatPath, type IssueList } from './issues.ts';
import type { FeatureNote } from './model.ts';

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
