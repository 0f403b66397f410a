import type pg from 'pg';
import { quoteIdent } from '../postgres.ts';

// What a watched database says of the tables and columns the configuration names: each column's type, read once
// from the catalog, so the statements compare keys in one canonical form and read times in the right zone. A name
// that does not exist is an error that names the table, the column and the configuration key.

export type ColumnFamily = 'uuid' | 'integer' | 'decimal' | 'text' | 'timestamptz' | 'timestamp' | 'json' | 'other';

export interface ColumnInfo {
  name: string;
  family: ColumnFamily;
  /** As PostgreSQL prints it, e.g. `character varying(255)`: for casts and messages. */
  sqlType: string;
  /** Whether text compares byte by byte (the C or POSIX collation), so its index order is Recon's key order. */
  isByteOrdered: boolean;
}

/** A column the configuration names, with the key that names it (`flows[0].order.createdAt`). */
export interface ColumnNeed {
  column: string;
  configKey: string;
}

export class CatalogError extends Error {}

const COLUMNS = `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS sql_type, t.typname AS type_name,
    t.typcategory AS category, coalesce(c.collname, '') AS collation
  FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_collation c ON c.oid = a.attcollation
  WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped`;
const DATABASE_COLLATION = `SELECT datcollate FROM pg_database WHERE datname = current_database()`;

/**
 * The named columns of one table, or a CatalogError listing every name that is missing (the table itself, or each
 * column with its configuration key), so one start says everything that is wrong.
 */
export async function readColumns(
  pool: pg.Pool,
  table: string,
  tableKey: string,
  needs: readonly ColumnNeed[],
): Promise<Map<string, ColumnInfo>> {
  const found = await readTable(pool, table);
  if (found === null) throw new CatalogError(`table ${table} (${tableKey}) does not exist or has no columns`);
  const missing = needs.filter((need) => !found.has(need.column));
  if (missing.length > 0) {
    const names = missing.map((m) => `column "${m.column}" (${m.configKey})`).join(', ');
    throw new CatalogError(`table ${table} (${tableKey}) has no ${names}`);
  }
  return found;
}

/** Every column of one table by name, or null when there is no such table (`recon check` reports, never throws). */
export async function readTable(pool: pg.Pool, table: string): Promise<Map<string, ColumnInfo> | null> {
  const [{ rows }, database] = await Promise.all([
    pool.query<{ name: string; sql_type: string; type_name: string; category: string; collation: string }>(COLUMNS, [
      quoteIdent(table),
    ]),
    pool.query<{ datcollate: string }>(DATABASE_COLLATION),
  ]);
  if (rows.length === 0) return null;
  const defaultCollation = database.rows[0]?.datcollate ?? '';
  return new Map(
    rows.map((r) => {
      const collation = r.collation === 'default' ? defaultCollation : r.collation;
      const info: ColumnInfo = {
        name: r.name,
        family: familyOf(r.type_name, r.category),
        sqlType: r.sql_type,
        isByteOrdered: ['C', 'POSIX', 'ucs_basic'].includes(collation),
      };
      return [r.name, info];
    }),
  );
}

function familyOf(typeName: string, category: string): ColumnFamily {
  if (typeName === 'uuid') return 'uuid';
  if (['int2', 'int4', 'int8'].includes(typeName)) return 'integer';
  if (['numeric', 'float4', 'float8'].includes(typeName)) return 'decimal';
  if (typeName === 'timestamptz') return 'timestamptz';
  if (typeName === 'timestamp') return 'timestamp';
  if (typeName === 'json' || typeName === 'jsonb') return 'json';
  if (category === 'S') return 'text'; // text, varchar, bpchar, name
  return 'other';
}
