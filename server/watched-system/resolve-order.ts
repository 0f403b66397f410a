import type { MessageFile, OrderFile } from './file-schema.ts';
import { child, type IssueList } from './issues.ts';
import type { MessageRoute, OrderEntity, OutboxPreset } from './model.ts';
import { OUTBOX_PRESET_NAMES } from './presets.ts';
import { createDefaults, type EntityTable, isReferenceTable, whyRequired } from './reference-defaults.ts';
import { REFERENCE_BODY_COLUMNS, REFERENCE_MESSAGE, REFERENCE_ORDER } from './reference-system.ts';

// The producer's side of a flow: its order table and the message it publishes. The message's defaults belong to
// the order table: a body of the reference system's columns means nothing on another table. Its headers are the
// outbox library's (CAP's consumers read the message's name and id from headers), unless the file says otherwise.

export function resolveOrder(file: OrderFile, database: string, entity: EntityTable, issues: IssueList): OrderEntity {
  const defaults = createDefaults(file, REFERENCE_ORDER, entity, issues);
  const order: OrderEntity = {
    database,
    table: entity.table,
    id: defaults.required('id'),
    createdAt: defaults.required('createdAt'),
    updatedAt: defaults.required('updatedAt', { orNull: true }),
    status: defaults.optional('status', null),
    needsDispatch: file.needsDispatch ?? null,
    snapshot: defaults.optional('snapshot', null),
    madeUpStatus: file.madeUpStatus ?? REFERENCE_ORDER.madeUpStatus,
  };
  // make-up-order always writes the id and the creation time from their own paths; a second source would conflict.
  for (const column of Object.keys(order.snapshot?.columns ?? {}))
    if (column === order.id || column === order.createdAt)
      issues.add(
        child(child(child(entity.path, 'snapshot'), 'columns'), column),
        `the order's ${column === order.id ? 'id' : 'creation time'} is always written (from ${column === order.id ? 'orderIdPath' : 'createdAtPath'}): leave it out of columns`,
      );
  return order;
}

export function resolveMessage(
  file: MessageFile | undefined,
  order: OrderEntity,
  orderTable: EntityTable,
  path: string,
  issues: IssueList,
  outboxPreset: OutboxPreset | null,
): MessageRoute {
  const isReference = isReferenceTable(orderTable);
  const defaults = createDefaults(file ?? {}, REFERENCE_MESSAGE, orderTable, issues, path);
  if (file === undefined && !isReference) {
    issues.add(path, `required: ${whyRequired(orderTable)}; say where the order's message is published`);
    return { ...REFERENCE_MESSAGE, body: null };
  }
  const referenceBody = { orderId: order.id, ...REFERENCE_BODY_COLUMNS, createdAt: order.createdAt };
  const routingKey = defaults.required('routingKey');
  const library = outboxPreset === null ? null : OUTBOX_PRESET_NAMES[outboxPreset].message;
  return {
    exchange: defaults.required('exchange'),
    routingKey,
    orderIdPath: defaults.required('orderIdPath'),
    body: file?.body !== undefined ? file.body : isReference ? referenceBody : null,
    headers: file?.headers ?? library?.headers(routingKey) ?? {},
    messageIdHeader: file?.messageIdHeader !== undefined ? file.messageIdHeader : (library?.idHeader ?? null),
    envelope: file?.envelope ?? null,
  };
}
