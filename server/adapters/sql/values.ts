import { parseJsonKeepingIntegers, parseJsonPath, readJsonPath, toKeyText } from '../../watched-system/json-path.ts';
import { readJsonPathText } from '../../watched-system/json-path-text.ts';
import type { ValueSource } from '../../watched-system/model.ts';
import { quoteIdent as q } from '../postgres.ts';

// A value the configuration places in a column, or in JSON inside a column. JSON is read in JavaScript, never with
// a cast in SQL: one row of text that is not JSON must not fail a whole statement (PostgreSQL 15 has no safe cast).

export interface ValueReader {
  /** The column to select, as text (JSON too: parsed here, so a 19-digit number inside stays exact). */
  select: string;
  /** The column itself, for comparisons. */
  ref: string;
  /** Whether the value sits inside JSON (then a lookup by it is a LIKE prefilter, checked here). */
  isJson: boolean;
  /** The key text of the value in a selected cell: the column's text, or the JSON path's value. */
  keyOf(cell: unknown): string | null;
  /** The raw value in a selected cell (a JSON path's value, parsed). */
  valueOf(cell: unknown): unknown;
  /** The value as text to send on: the column's text, or the JSON text at the path exactly as written. */
  textOf(cell: unknown): string | undefined;
}

export function valueReader(alias: string, source: ValueSource): ValueReader {
  if ('column' in source) {
    const ref = `${alias}.${q(source.column)}`;
    const textOf = (cell: unknown) => (cell === null || cell === undefined ? undefined : String(cell));
    return { select: `${ref}::text`, ref, isJson: false, keyOf: toKeyText, valueOf: (cell) => cell, textOf };
  }
  const steps = parseJsonPath(source.path);
  const read = (cell: unknown) => readJsonPath(parsedJson(cell), steps);
  const ref = `${alias}.${q(source.json)}`;
  return {
    select: `${ref}::text`,
    ref,
    isJson: true,
    keyOf: (cell) => toKeyText(read(cell)),
    valueOf: read,
    textOf: (cell) => (typeof cell === 'string' ? readJsonPathText(cell, steps) : undefined),
  };
}

/** The cell's JSON text parsed, or undefined when it is not JSON (a value someone else wrote). */
function parsedJson(cell: unknown): unknown {
  if (typeof cell !== 'string') return undefined;
  try {
    return parseJsonKeepingIntegers(cell);
  } catch {
    return undefined;
  }
}

/** A LIKE pattern that finds `text` as a JSON string or number inside a column (a prefilter; the path decides). */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
