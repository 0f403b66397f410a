import type pg from 'pg';
import { quoteIdent } from '../postgres.ts';

// A table's indexes as the planner can use them: the key columns in order (an expression is null there: it serves
// no plain column), the access method, and a partial index's condition, so `recon check` can say whether an index
// serves a statement's WHERE and ORDER BY.

export interface IndexInfo {
  name: string;
  /** Key columns in order; null for an expression. INCLUDE columns are not keys and are not listed. */
  columns: Array<string | null>;
  /** `btree`, `hash`, `gin`, …: only a btree gives an order and a range. */
  method: string;
  /** A partial index's condition as PostgreSQL prints it, e.g. `(confirmed_at IS NULL)`; null: every row. */
  predicate: string | null;
  /** False after a failed CREATE INDEX CONCURRENTLY: the planner never uses it. */
  isValid: boolean;
  /** As `pg_get_indexdef` prints it. */
  definition: string;
}

// A key column counts only in the column's own collation: an index `(ref COLLATE "C")` does not serve `ref = $1`.
const INDEXES = `SELECT i.relname AS name, am.amname AS method, x.indisvalid AS is_valid,
    pg_get_indexdef(x.indexrelid) AS definition, pg_get_expr(x.indpred, x.indrelid) AS predicate,
    array(SELECT CASE WHEN k.attnum > 0 AND coalesce(x.indcollation[k.n - 1], 0) = coalesce(a.attcollation, 0)
                      THEN a.attname::text END
          FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
          LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
          WHERE k.n <= x.indnkeyatts ORDER BY k.n) AS columns
  FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am am ON am.oid = i.relam
  WHERE x.indrelid = to_regclass($1) ORDER BY i.relname`;

export async function readIndexes(pool: pg.Pool, table: string): Promise<IndexInfo[]> {
  const { rows } = await pool.query<{
    name: string;
    method: string;
    is_valid: boolean;
    definition: string;
    predicate: string | null;
    columns: Array<string | null>;
  }>(INDEXES, [quoteIdent(table)]);
  return rows.map((r) => ({
    name: r.name,
    columns: r.columns,
    method: r.method,
    predicate: r.predicate,
    isValid: r.is_valid,
    definition: r.definition,
  }));
}
