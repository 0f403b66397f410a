import type { ColumnInfo } from '../sql/catalog.ts';
import { toDate } from '../sql-time.ts';

/**
 * A column's value as a message built from the row carries it: a time (read as epoch milliseconds) as ISO text, an
 * integer as a number when it fits one exactly and as its decimal text otherwise, JSON as the value it holds.
 */
export function toMessageValue(value: unknown, column: ColumnInfo): unknown {
  if (value === null || value === undefined) return null;
  if (column.family === 'timestamptz' || column.family === 'timestamp') return toDate(value).toISOString();
  if (column.family === 'integer') {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : String(value);
  }
  return value;
}
