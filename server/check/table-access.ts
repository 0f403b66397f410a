import type pg from 'pg';
import { quoteIdent } from '../adapters/postgres.ts';
import type { MappedTable } from './mapped-tables.ts';
import type { CheckItem } from './report.ts';

// What the connecting user may do with a mapped table, and whether PostgreSQL accepts the SQL the configuration
// adds to the statements over it: asked of the server itself, never judged by reading the SQL here.

/** The table, and whether the connecting user may read it (and write what the repairs write). */
export async function tableItem(pool: pg.Pool, mapped: MappedTable, writes: string[]): Promise<CheckItem> {
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
export async function planCondition(
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
