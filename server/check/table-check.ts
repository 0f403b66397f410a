import type pg from 'pg';
import type { KeyFamily } from '../../reconcilers/keys.ts';
import { CatalogError, type ColumnInfo, readTable } from '../adapters/sql/catalog.ts';
import { assertJsonDocument, assertJsonText, keyColumn, keyFamilyOf, timeColumn } from '../adapters/sql/columns.ts';
import { formatPath } from '../watched-system/issues.ts';
import type { MappedColumn, MappedTable } from './mapped-tables.ts';
import type { CheckItem, CheckStatus } from './report.ts';
import { planCondition, tableItem } from './table-access.ts';

// One mapped table against its database's catalog: the table, each column with the type rules the adapters apply
// (server/adapters/sql/columns.ts: the same functions, so the check cannot pass a column the adapters refuse), and
// each configured SQL condition (table-access.ts).

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
