import { child } from '../watched-system/issues.ts';
import type { Flow, ValueSource, WatchedSystem } from '../watched-system/model.ts';

// Every table and column the resolved watched system names, with the key that names it and the rule its type must
// meet: the same names the adapters (server/adapters/flow/*.ts) read and write, so `recon check` finds a missing one
// before Recon's first cycle does.

export type Role = 'order' | 'outbox' | 'dispatch' | 'inbox';

/** What the adapters do with a column, which decides the types it may have (server/adapters/sql/columns.ts). */
export type ColumnRule =
  /** The orders' id: uuid, integer or text keys (keyFamilyOf). */
  | 'order-id'
  /** Holds order ids, compared with the orders' id in one canonical form (keyColumn). */
  | 'order-reference'
  /** Read as an instant: timestamptz, or timestamp in its database's zone (timeColumn). */
  | 'time'
  /** Holds JSON a path is read from (assertJsonText). */
  | 'json-text'
  /** Read as a JSON document (assertJsonDocument). */
  | 'json-document'
  | 'any';

export interface MappedColumn {
  column: string;
  configKey: string;
  rule: ColumnRule;
  /** Read only from the whole row when present (the courier): missing is a warning, not an error. */
  isOptional?: boolean;
}

export interface MappedTable {
  role: Role;
  database: string;
  table: string;
  tableKey: string;
  columns: MappedColumn[];
  /** SQL booleans the configuration adds to the statements' WHERE, over this table's row (alias `t`). */
  conditions: Array<{ sql: string; configKey: string }>;
}

const FLOW = 'flows[0]';
const at = (...keys: string[]) => keys.reduce(child, FLOW);

export function mappedTables(system: Pick<WatchedSystem, 'flow'>): MappedTable[] {
  const { flow } = system;
  return [orderTable(flow), ...(flow.outbox ? [outboxTable(flow)] : []), dispatchTable(flow), ...inboxTable(flow)];
}

function orderTable(flow: Flow): MappedTable {
  const o = flow.order;
  const key = (name: string) => at('order', name);
  return {
    role: 'order',
    database: o.database,
    table: o.table,
    tableKey: key('table'),
    columns: [
      { column: o.id, configKey: key('id'), rule: 'order-id' },
      { column: o.createdAt, configKey: key('createdAt'), rule: 'time' },
      ...column(o.updatedAt, key('updatedAt'), 'time'),
      ...column(o.status, key('status'), 'any'),
      ...Object.keys(o.snapshot?.columns ?? {}).map((name) => ({
        column: name,
        configKey: child(child(key('snapshot'), 'columns'), name),
        rule: 'any' as const,
      })),
      ...Object.entries(flow.message.body ?? {}).map(([field, name]) => ({
        column: name,
        configKey: child(at('message', 'body'), field),
        rule: 'any' as const,
      })),
    ],
    conditions: o.needsDispatch ? [{ sql: o.needsDispatch, configKey: key('needsDispatch') }] : [],
  };
}

function outboxTable(flow: Flow): MappedTable {
  const x = flow.outbox!;
  const key = (name: string) => at('outbox', name);
  const { pending } = x;
  return {
    role: 'outbox',
    database: x.database,
    table: x.table,
    tableKey: key('table'),
    columns: [
      ...source(x.messageId, key('messageId')),
      ...source(x.orderId, key('orderId')),
      ...column(x.createdAt, key('createdAt'), 'time'),
      ...column(x.eventType, key('eventType'), 'any'),
      ...column(x.publishedAt, key('publishedAt'), 'time'),
      ...column(x.attempts, key('attempts'), 'any'),
      ...column(x.lastError, key('lastError'), 'any'),
      ...(x.payload ? source(x.payload, key('payload')) : []),
      // The timeline reads a confirmation time as a time; a status is compared as text.
      ...(pending.kind === 'column-null' ? column(pending.column, key('confirmedAt'), 'time') : []),
      ...(pending.kind === 'status-not-in' ? column(pending.column, key('statusColumn'), 'any') : []),
      ...column(x.failed?.column ?? null, key('statusColumn'), 'any'),
      ...(x.markPublished ?? []).map(({ column: name, value }) => ({
        column: name,
        configKey: child(key('markPublished'), name),
        rule: 'now' in value ? ('time' as const) : ('any' as const),
      })),
    ],
    conditions: x.filter ? [{ sql: x.filter, configKey: key('filter') }] : [],
  };
}

function dispatchTable(flow: Flow): MappedTable {
  const d = flow.dispatch;
  const key = (name: string) => at('dispatch', name);
  return {
    role: 'dispatch',
    database: d.database,
    table: d.table,
    tableKey: key('table'),
    columns: [
      { column: d.id, configKey: key('id'), rule: 'any' },
      { column: d.orderId, configKey: key('orderId'), rule: 'order-reference' },
      ...column(d.messageId, key('messageId'), 'any'),
      ...column(d.status, key('status'), 'any'),
      { column: d.createdAt, configKey: key('createdAt'), rule: 'time' },
      ...column(d.updatedAt, key('updatedAt'), 'time'),
      ...column(d.orderSnapshot, key('orderSnapshot'), 'json-document'),
      ...column(d.courier, key('courier'), 'any').map((c) => ({ ...c, isOptional: true })),
    ],
    conditions: [],
  };
}

function inboxTable(flow: Flow): MappedTable[] {
  const inbox = flow.inbox;
  if (inbox === null) return [];
  return [
    {
      role: 'inbox',
      database: inbox.database,
      table: inbox.table,
      tableKey: at('inbox', 'table'),
      columns: source(inbox.messageId, at('inbox', 'messageId')),
      conditions: inbox.filter ? [{ sql: inbox.filter, configKey: at('inbox', 'filter') }] : [],
    },
  ];
}

const column = (name: string | null, configKey: string, rule: ColumnRule): MappedColumn[] =>
  name === null ? [] : [{ column: name, configKey, rule }];

const source = (value: ValueSource, configKey: string): MappedColumn[] =>
  'column' in value
    ? [{ column: value.column, configKey, rule: 'any' }]
    : [{ column: value.json, configKey: child(configKey, 'json'), rule: 'json-text' }];
