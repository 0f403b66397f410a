import { quoteIdent } from '../adapters/postgres.ts';
import type { IndexInfo } from '../adapters/sql/indexes.ts';
import { child } from '../watched-system/issues.ts';
import type { Flow, ValueSource } from '../watched-system/model.ts';
import type { Role } from './mapped-tables.ts';

// The indexes Recon's statements need, derived from the resolved flow the way the adapters build those statements
// (server/adapters/flow/*.ts): a lookup by `= ANY($1)` or `= $1` needs its column first; a keyset page ordered by
// `(changed, id)` needs both, in that order. An index serves when its leading key columns are these.

export interface IndexNeed {
  role: Role;
  database: string;
  table: string;
  /** In index order, each with the key that names it. */
  columns: Array<{ column: string; configKey: string }>;
  /** The statements that read through it, for the message. */
  usedBy: string;
  /**
   * A partial index serves only when the statement's own WHERE implies its condition: the one such condition Recon
   * suggests and recognises is the outbox's pending one (`column IS NULL`).
   */
  partialIsNull?: string;
}

/** A value inside JSON: found by a LIKE prefilter on the column's text, which no btree index serves. */
export interface UnindexableLookup {
  role: Role;
  database: string;
  table: string;
  configKey: string;
  json: string;
  usedBy: string;
}

const at = (...keys: string[]) => keys.reduce(child, 'flows[0]');

export function indexNeeds(flow: Flow): { needs: IndexNeed[]; unindexable: UnindexableLookup[] } {
  const { order: o, dispatch: d, outbox: x, inbox } = flow;
  const needs: IndexNeed[] = [];
  const unindexable: UnindexableLookup[] = [];
  const onOrders = { role: 'order' as const, database: o.database, table: o.table };
  const orderId = { column: o.id, configKey: at('order', 'id') };
  needs.push({ ...onOrders, columns: [orderId], usedBy: 'findOrders, the full sweep, getOrder, the timeline' });
  // Without an updatedAt column, orders-db.ts pages by createdAt (and so does dispatch-db.ts).
  const orderChanged = o.updatedAt
    ? { column: o.updatedAt, configKey: at('order', 'updatedAt') }
    : { column: o.createdAt, configKey: at('order', 'createdAt') };
  needs.push({ ...onOrders, columns: [orderChanged, orderId], usedBy: 'pageChangedOrders (the incremental cycle)' });

  const onDispatch = { role: 'dispatch' as const, database: d.database, table: d.table };
  const reference = { column: d.orderId, configKey: at('dispatch', 'orderId') };
  needs.push({
    ...onDispatch,
    columns: [reference],
    usedBy: "findDispatchesByOrderIds, the full sweep's groups, liveDispatches, the timeline",
  });
  const dispatchChanged = d.updatedAt
    ? { column: d.updatedAt, configKey: at('dispatch', 'updatedAt') }
    : { column: d.createdAt, configKey: at('dispatch', 'createdAt') };
  needs.push({
    ...onDispatch,
    columns: [dispatchChanged, { column: d.id, configKey: at('dispatch', 'id') }],
    usedBy: 'pageChangedDispatches (the incremental cycle)',
  });

  // A CDC outbox's rows are deleted as they are inserted (Debezium): nothing reads enough of them to need an index.
  if (x && x.pending.kind !== 'replication-slot') {
    const onOutbox = { role: 'outbox' as const, database: x.database, table: x.table };
    if (x.createdAt)
      needs.push({
        ...onOutbox,
        columns: [{ column: x.createdAt, configKey: at('outbox', 'createdAt') }],
        usedBy: 'listUnpublished (stuck-outbox: pending rows, oldest first)',
        ...(x.pending.kind === 'column-null' ? { partialIsNull: x.pending.column } : {}),
      });
    const lookups: Array<[ValueSource, string, string]> = [
      [x.messageId, at('outbox', 'messageId'), 'findUnpublished, republish'],
      [x.orderId, at('outbox', 'orderId'), 'latestMessageIdFor (redeliver), the timeline'],
    ];
    for (const [source, configKey, usedBy] of lookups)
      if ('column' in source) needs.push({ ...onOutbox, columns: [{ column: source.column, configKey }], usedBy });
      else unindexable.push({ ...onOutbox, configKey, json: source.json, usedBy });
  }

  if (inbox) {
    const onInbox = { role: 'inbox' as const, database: inbox.database, table: inbox.table };
    const configKey = at('inbox', 'messageId');
    const usedBy = "isProcessed (the sweeper checks a redelivery's effect)";
    if ('column' in inbox.messageId)
      needs.push({ ...onInbox, columns: [{ column: inbox.messageId.column, configKey }], usedBy });
    else unindexable.push({ ...onInbox, configKey, json: inbox.messageId.json, usedBy });
  }
  return { needs, unindexable };
}

/**
 * Whether an index serves a need: valid, a btree (the keyset pages need its order), the need's columns leading,
 * and either on every row or on exactly the pending rows (`isNullPredicate`: `(col IS NULL)` as PostgreSQL prints
 * it, with quote_ident's quoting).
 */
export function serves(index: IndexInfo, need: IndexNeed, isNullPredicate: string | null): boolean {
  return (
    index.isValid &&
    index.method === 'btree' &&
    need.columns.every((c, i) => index.columns[i] === c.column) &&
    (index.predicate === null || (isNullPredicate !== null && index.predicate === isNullPredicate))
  );
}

/** Why an index that starts with the need's first column does not serve it, for the warning. */
export function nearMisses(indexes: IndexInfo[], need: IndexNeed, isNullPredicate: string | null): string[] {
  const first = need.columns[0]?.column;
  return indexes
    .filter((index) => index.columns[0] === first && !serves(index, need, isNullPredicate))
    .map((index) => {
      if (!index.isValid)
        return `${index.name} is invalid (a failed CREATE INDEX CONCURRENTLY): drop it and create it again`;
      if (index.method !== 'btree') return `${index.name} is a ${index.method} index: the statements need a btree`;
      if (index.predicate !== null)
        return `${index.name} is partial (WHERE ${index.predicate}): the statements do not imply its condition`;
      return `${index.name} has (${index.columns.map((c) => c ?? '(expression)').join(', ')}), not (${need.columns.map((c) => c.column).join(', ')}) first`;
    });
}

/** The statement that creates an index serving the need, without locking the table against writes. */
export function createIndexStatement(need: IndexNeed): string {
  const columns = need.columns.map((c) => quoteColumn(c.column)).join(', ');
  const where = need.partialIsNull ? ` WHERE ${quoteColumn(need.partialIsNull)} IS NULL` : '';
  return `CREATE INDEX CONCURRENTLY ON ${quoteIdent(need.table)} (${columns})${where};`;
}

/** A column name is one identifier, even with a dot in it (quoteIdent reads `schema.table`). */
const quoteColumn = (name: string) => `"${name.replace(/"/g, '""')}"`;
