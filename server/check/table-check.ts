import type pg from 'pg';
import type { KeyFamily } from '../../reconcilers/keys.ts';
import { quoteIdent } from '../adapters/postgres.ts';
import { CatalogError, type ColumnInfo, readTable } from '../adapters/sql/catalog.ts';
import { assertJsonDocument, assertJsonText, keyColumn, keyFamilyOf, timeColumn } from '../adapters/sql/columns.ts';
import { formatPath } from '../watched-system/issues.ts';
import type { MappedColumn, MappedTable } from './mapped-tables.ts';
import type { CheckItem, CheckStatus } from './report.ts';

// One mapped table against its database's catalog: the table, each column with the type rules the adapters apply
// (server/adapters/sql/columns.ts: the same functions, so the check cannot pass a column the adapters refuse), and
// each configured SQL condition, planned (never run) in a read-only transaction.

export interface TableResult {
  items: CheckItem[];
  /** The table's columns, or null when it does not exist. */
  columns: Map<string, ColumnInfo> | null;
  /** The orders' key family, when this is the order table and its id column is one Recon can compare. */
  keyFamily?: KeyFamily;
}

export async function checkTable(
  pool: pg.Pool,
  mapped: MappedTable,
  timeZone: string,
  orderKeys: KeyFamily | null,
  writes: string[],
): Promise<TableResult> {
  const base = { section: mapped.role, database: mapped.database, table: mapped.table };
  const columns = await readTable(pool, mapped.table);
  if (columns === null)
    return {
      columns,
      items: [
        {
          ...base,
          kind: 'table',
          status: 'missing',
          name: mapped.table,
          configPaths: [mapped.tableKey],
          detail: `no table ${mapped.table} in database ${mapped.database} (names are case-sensitive; \`schema.table\` allowed)`,
        },
      ],
    };
  const items: CheckItem[] = [await tableItem(pool, mapped, writes)];
  let keyFamily: KeyFamily | undefined;
  for (const [name, uses] of byColumn(mapped.columns)) {
    const configPaths = uses.map((use) => use.configKey);
    const info = columns.get(name);
    if (!info) {
      const isOptional = uses.every((use) => use.isOptional);
      items.push({
        ...base,
        kind: 'column',
        status: isOptional ? 'warn' : 'missing',
        name,
        configPaths,
        detail: `table ${mapped.table} has no column "${name}"${isOptional ? ': read only where present' : ''}`,
      });
      continue;
    }
    const notes: string[] = [];
    let status: CheckStatus = 'ok';
    for (const use of uses) {
      try {
        const note = applyRule(use, info, timeZone, mapped.database, orderKeys);
        if (use.rule === 'order-id') keyFamily = keyFamilyOf(info, use.configKey);
        if (note) notes.push(note.text);
        if (note?.isUnchecked && status === 'ok') status = 'info';
      } catch (error) {
        if (!(error instanceof CatalogError)) throw error;
        status = 'error';
        notes.push(error.message);
      }
    }
    items.push({ ...base, kind: 'column', status, name, configPaths, sqlType: info.sqlType, detail: notes.join('; ') });
  }
  for (const condition of mapped.conditions) items.push({ ...base, ...(await planCondition(pool, mapped, condition)) });
  return { items, columns, keyFamily };
}

function applyRule(
  use: MappedColumn,
  info: ColumnInfo,
  timeZone: string,
  database: string,
  orderKeys: KeyFamily | null,
): { text: string; isUnchecked?: boolean } | null {
  switch (use.rule) {
    case 'order-id':
      return { text: `order ids are ${keyFamilyOf(info, use.configKey)} keys` };
    case 'order-reference': {
      if (orderKeys === null)
        return {
          text: "not compared with the orders' id: its type is not known (see the order table)",
          isUnchecked: true,
        };
      const key = keyColumn('t', info, orderKeys, use.configKey);
      const sort = key.order.isNative ? '' : '; not in key order by itself: the full sweep sorts it';
      return { text: `compared with the orders' ${orderKeys} ids${sort}` };
    }
    case 'time':
      timeColumn('t', info, timeZone, use.configKey);
      return info.family === 'timestamp'
        ? {
            text: `timestamp without time zone: read as ${timeZone} time (${formatPath(['databases', database, 'timeZone'])})`,
          }
        : null;
    case 'json-text':
      assertJsonText(info, use.configKey);
      return null;
    case 'json-document':
      assertJsonDocument(info, use.configKey);
      return null;
    case 'any':
      return null;
  }
}

/** One line per column, with every key that names it, in the order the keys come. */
function byColumn(columns: MappedColumn[]): Map<string, MappedColumn[]> {
  const grouped = new Map<string, MappedColumn[]>();
  for (const column of columns) grouped.set(column.column, [...(grouped.get(column.column) ?? []), column]);
  return grouped;
}

/** The table, and whether the connecting user may read it (and write what the repairs write). */
async function tableItem(pool: pg.Pool, mapped: MappedTable, writes: string[]): Promise<CheckItem> {
  const privileges = ['SELECT', ...writes];
  const { rows } = await pool.query<{ privilege: string; granted: boolean }>(
    `SELECT p AS privilege, has_table_privilege(to_regclass($1), p) AS granted FROM unnest($2::text[]) AS p`,
    [quoteIdent(mapped.table), privileges],
  );
  const denied = rows.filter((r) => !r.granted).map((r) => r.privilege);
  const base = {
    section: mapped.role,
    kind: 'table' as const,
    name: mapped.table,
    configPaths: [mapped.tableKey],
    database: mapped.database,
    table: mapped.table,
  };
  if (denied.includes('SELECT'))
    return {
      ...base,
      status: 'error',
      detail: `in database ${mapped.database}; the connecting user cannot SELECT from it`,
    };
  if (denied.length > 0)
    return {
      ...base,
      status: 'warn',
      detail: `in database ${mapped.database}; the connecting user cannot ${denied.join(' or ')} it: the repairs that write it would fail`,
    };
  return { ...base, status: 'ok', detail: `in database ${mapped.database}; may ${privileges.join(', ')}` };
}

/** Planned, never run, in a read-only transaction: a wrong column or a non-boolean shows here, not in Recon's cycle. */
async function planCondition(
  pool: pg.Pool,
  mapped: MappedTable,
  condition: { sql: string; configKey: string },
): Promise<Omit<CheckItem, 'section' | 'database' | 'table'>> {
  const base = { kind: 'condition' as const, name: condition.sql, configPaths: [condition.configKey] };
  const client = await pool.connect();
  try {
    await client.query('BEGIN READ ONLY');
    // With a parameter, as the adapters send it: the extended protocol takes one statement, never `; …` after it.
    await client.query(`EXPLAIN SELECT 1 FROM ${quoteIdent(mapped.table)} t WHERE (${condition.sql}) LIMIT $1`, [0]);
    return { ...base, status: 'ok', detail: `a SQL boolean over a row of ${mapped.table}` };
  } catch (error) {
    return { ...base, status: 'error', detail: (error as Error).message };
  } finally {
    await client.query('ROLLBACK').catch(() => {});
    client.release();
  }
}
