import type pg from 'pg';
import { readIndexes } from '../adapters/sql/indexes.ts';
import { createIndexStatement, type IndexNeed, nearMisses, serves, type UnindexableLookup } from './index-needs.ts';
import type { CheckItem } from './report.ts';

// The indexes one table's statements need, each served by an existing index or reported with the CREATE INDEX that
// would serve it. A missing index is a warning: Recon's results are the same without it, but each cycle then reads
// the whole table, which on a large production table is slow and loads the database.

export async function checkIndexes(
  pool: pg.Pool,
  table: { role: IndexNeed['role']; database: string; table: string },
  needs: IndexNeed[],
  unindexable: UnindexableLookup[],
  hasColumn: (name: string) => boolean,
): Promise<CheckItem[]> {
  const base = { section: table.role, kind: 'index' as const, database: table.database, table: table.table };
  const indexes = needs.length > 0 ? await readIndexes(pool, table.table) : [];
  const items: CheckItem[] = [];
  for (const need of needs) {
    const name = `(${need.columns.map((c) => c.column).join(', ')})`;
    const configPaths = need.columns.map((c) => c.configKey);
    const absent = need.columns.filter((c) => !hasColumn(c.column));
    if (absent.length > 0) {
      const names = absent.map((c) => c.column).join(', ');
      items.push({ ...base, status: 'info', name, configPaths, detail: `not checked: no column ${names}` });
      continue;
    }
    const isNullPredicate = need.partialIsNull ? await isNullText(pool, need.partialIsNull) : null;
    const serving = indexes.find((index) => serves(index, need, isNullPredicate));
    if (serving) {
      items.push({ ...base, status: 'ok', name, configPaths, detail: `${need.usedBy}: served by ${serving.name}` });
      continue;
    }
    const misses = nearMisses(indexes, need, isNullPredicate);
    items.push({
      ...base,
      status: 'warn',
      name,
      configPaths,
      detail: `${need.usedBy}: no index leads with ${name}${misses.length > 0 ? ` (${misses.join('; ')})` : ''}; without it each read scans the table`,
      fix: createIndexStatement(need),
    });
  }
  for (const lookup of unindexable)
    items.push({
      ...base,
      status: 'info',
      name: `${lookup.json} (JSON)`,
      configPaths: [lookup.configKey],
      detail: `${lookup.usedBy}: the value is inside JSON, found by a LIKE prefilter on ${lookup.json}'s text, which no index serves`,
    });
  return items;
}

/** `(col IS NULL)` as PostgreSQL prints a partial index's condition, quoting the name only where it must. */
async function isNullText(pool: pg.Pool, column: string): Promise<string> {
  const { rows } = await pool.query<{ text: string }>(`SELECT '(' || quote_ident($1) || ' IS NULL)' AS text`, [column]);
  return rows[0]!.text;
}
