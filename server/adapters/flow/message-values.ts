import type { ColumnInfo } from '../sql/catalog.ts';
import { toDate } from '../sql-time.ts';

/**
 * A column's value as JSON text in a message built from the row: a time (read as epoch milliseconds) as ISO text,
 * an integer as a JSON number with its exact digits (a 19-digit bigint too: a consumer binding a long from JSON
 * wants a number, and a JavaScript number would round it), a numeric as a JSON number with its digits as stored
 * (12.50: a .NET decimal refuses a string), JSON as the value it holds.
 */
// NaN and Infinity (a float or numeric may hold them) are no JSON numbers: they are sent as their text.
const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

export function toMessageJson(value: unknown, column: ColumnInfo): string {
  if (value === null || value === undefined) return 'null';
  if (column.family === 'timestamptz' || column.family === 'timestamp')
    return JSON.stringify(toDate(value).toISOString());
  if (column.family === 'integer' && /^-?\d+$/.test(String(value))) return String(value);
  if (column.family === 'decimal' && JSON_NUMBER.test(String(value))) return String(value);
  return JSON.stringify(value);
}

/** A message body of JSON fields, each already JSON text, in the template's order. */
export const toJsonObject = (fields: ReadonlyArray<[string, string]>) =>
  `{${fields.map(([name, json]) => `${JSON.stringify(name)}:${json}`).join(',')}}`;
