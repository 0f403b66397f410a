import type { DispatchFile, FlowFile } from './file-schema.ts';
import type { InboxFile } from './file-schema-outbox.ts';
import { child, type IssueList } from './issues.ts';
import type { DeadLetterQueue, DispatchEntity, Inbox } from './model.ts';
import { INBOX_PRESET_NAMES } from './presets.ts';
import { createDefaults, type EntityTable, isReferenceTable, whyRequired } from './reference-defaults.ts';
import { REFERENCE_DEAD_LETTER_QUEUES, REFERENCE_DISPATCH } from './reference-system.ts';
import { toValueSource } from './resolve-outbox.ts';

// The consumer's side of a flow: its dispatch table, its inbox and its dead-letter queues. The inbox and the
// queues default to the reference system's only with its dispatch table: they are the reference consumer's.

export function resolveDispatch(
  file: DispatchFile,
  database: string,
  entity: EntityTable,
  issues: IssueList,
): DispatchEntity {
  const defaults = createDefaults(file, REFERENCE_DISPATCH, entity, issues);
  const status = defaults.optional('status', null);
  return {
    database,
    table: entity.table,
    id: defaults.required('id'),
    orderId: defaults.required('orderId'),
    messageId: defaults.optional('messageId', null),
    status,
    cancelledStatuses: cancelledStatuses(file, status, defaults, entity.path, issues),
    createdAt: defaults.required('createdAt'),
    updatedAt: defaults.required('updatedAt', { orNull: true }),
    orderSnapshot: defaults.optional('orderSnapshot', null),
    courier: defaults.optional('courier', null),
  };
}

function cancelledStatuses(
  file: DispatchFile,
  status: string | null,
  defaults: ReturnType<typeof createDefaults<DispatchEntity>>,
  path: string,
  issues: IssueList,
): Array<string | number> {
  if (status !== null) return defaults.required('cancelledStatuses');
  if (file.cancelledStatuses?.length)
    issues.add(child(path, 'cancelledStatuses'), `needs ${child(path, 'status')}, which is null`);
  return [];
}

export function resolveInbox(
  file: FlowFile['inbox'],
  database: string,
  dispatchTable: EntityTable,
  path: string,
  issues: IssueList,
): Inbox | null {
  if (file === null) return null;
  if (file === undefined && !isReferenceTable(dispatchTable)) {
    issues.add(path, `required: ${whyRequired(dispatchTable)}; describe the consumer's inbox, or null: it keeps none`);
    return null;
  }
  const given: InboxFile = file ?? {};
  const preset = given.preset ?? 'table';
  const names = INBOX_PRESET_NAMES[preset];
  return {
    preset,
    database,
    table: given.table ?? names.table,
    messageId: given.messageId === undefined ? names.messageId : toValueSource(given.messageId),
    filter: given.filter === undefined ? names.filter : given.filter,
    processedAt: given.processedAt === undefined ? names.processedAt : given.processedAt,
  };
}

export function resolveDeadLetterQueues(
  file: FlowFile['deadLetterQueues'],
  dispatchTable: EntityTable,
  path: string,
  issues: IssueList,
): DeadLetterQueue[] {
  if (file === undefined) {
    if (isReferenceTable(dispatchTable)) return REFERENCE_DEAD_LETTER_QUEUES;
    issues.add(path, `required: ${whyRequired(dispatchTable)}; list the dead-letter queues ([] for none)`);
    return [];
  }
  return file.map(({ queue, style }) => ({ queue, style: style ?? 'dead-letter-exchange' }));
}
