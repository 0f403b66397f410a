import type { FlowFile } from './file-schema.ts';
import { child, type IssueList } from './issues.ts';
import type { Flow } from './model.ts';
import { nearestKey } from './nearest-key.ts';
import { type EntityTable, isReferenceTable, whyRequired } from './reference-defaults.ts';
import { REFERENCE_DISPATCH, REFERENCE_FLOW_NAME, REFERENCE_ORDER } from './reference-system.ts';
import { resolveDeadLetterQueues, resolveDispatch, resolveInbox } from './resolve-dispatch.ts';
import { resolveMessage, resolveOrder } from './resolve-order.ts';
import { resolveOutbox } from './resolve-outbox.ts';

/** One flow of the file with every default and preset applied; problems go to `issues`. */
export function resolveFlow(file: FlowFile, path: string, databases: readonly string[], issues: IssueList): Flow {
  const at = (key: string) => child(path, key);
  const orderTable: EntityTable = {
    path: at('order'),
    table: file.order?.table ?? REFERENCE_ORDER.table,
    referenceTable: REFERENCE_ORDER.table,
  };
  const dispatchTable: EntityTable = {
    path: at('dispatch'),
    table: file.dispatch?.table ?? REFERENCE_DISPATCH.table,
    referenceTable: REFERENCE_DISPATCH.table,
  };
  const database = (given: string | undefined, fallback: string, entityPath: string) =>
    databaseOf(given, fallback, child(entityPath, 'database'), databases, issues);

  const orderDatabase = database(file.order?.database, REFERENCE_ORDER.database, at('order'));
  const order = resolveOrder(file.order ?? {}, orderDatabase, orderTable, issues);
  const dispatchDatabase = database(file.dispatch?.database, REFERENCE_DISPATCH.database, at('dispatch'));
  const dispatch = resolveDispatch(file.dispatch ?? {}, dispatchDatabase, dispatchTable, issues);

  // By default an outbox is in the order's database (the pattern writes both in one transaction), an inbox in the
  // dispatch's.
  const outboxDatabase =
    file.outbox?.database === undefined ? order.database : database(file.outbox.database, order.database, at('outbox'));
  const inboxDatabase =
    file.inbox?.database === undefined
      ? dispatch.database
      : database(file.inbox.database, dispatch.database, at('inbox'));
  let outbox: Flow['outbox'] = null;
  if (file.outbox === undefined && !isReferenceTable(orderTable))
    issues.add(at('outbox'), `required: ${whyRequired(orderTable)}; describe the outbox, or null: there is none`);
  else if (file.outbox !== null) outbox = resolveOutbox(file.outbox ?? {}, outboxDatabase, at('outbox'), issues);
  const inbox = resolveInbox(file.inbox, inboxDatabase, dispatchTable, at('inbox'), issues);

  return {
    name: file.name ?? REFERENCE_FLOW_NAME,
    order,
    outbox,
    message: resolveMessage(file.message, order, orderTable, at('message'), issues, outbox?.preset ?? null),
    dispatch,
    inbox,
    deadLetterQueues: resolveDeadLetterQueues(file.deadLetterQueues, dispatchTable, at('deadLetterQueues'), issues),
  };
}

/** The database an entity is in, which must be a key of `databases`. */
function databaseOf(
  given: string | undefined,
  fallback: string,
  path: string,
  databases: readonly string[],
  issues: IssueList,
): string {
  const name = given ?? fallback;
  if (databases.includes(name)) return name;
  const known = databases.map((key) => `"${key}"`).join(', ');
  if (given === undefined)
    issues.add(path, `required: databases has no "${fallback}" (the reference system's name); name one of ${known}`);
  else {
    const nearest = nearestKey(given, databases);
    issues.add(
      path,
      `"${given}" is not a key of databases; ${nearest ? `did you mean "${nearest}"?` : `name one of ${known}`}`,
    );
  }
  return name;
}
