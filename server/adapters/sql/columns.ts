import type { KeyFamily } from '../../../reconcilers/keys.ts';
import { quoteIdent as q } from '../postgres.ts';
import { epochMs } from '../sql-time.ts';
import type { ColumnInfo } from './catalog.ts';
import { CatalogError } from './catalog.ts';

// SQL for one configured column, written for its type: a time read as epoch milliseconds in its database's zone, a
// key in the canonical order Recon compares keys in. The statements never depend on the session's TimeZone, nor
// on Recon's own TZ.

/** A string literal, for values that are configuration, never input (a time zone name, the cancelled statuses). */
export const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

export const textArray = (values: readonly string[]) => `ARRAY[${values.map(literal).join(', ')}]::text[]`;

export interface TimeColumn {
  /** `t."col"` */
  ref: string;
  /** The instant as epoch milliseconds (a float8 the driver hands over as a number). */
  epochMs: string;
  /** The same for an expression of the column's type, such as `min(t.col)`. */
  epochMsOf(expression: string): string;
  /** A timestamptz parameter as this column's own type, so a comparison with the column can use its index. */
  fromInstant(param: string): string;
  /** The current time as this column's own type. */
  now: string;
  /** The column's value as text, exact, for keyset positions; read back with `positionParam`. */
  position: string;
  positionParam(param: string): string;
}

/** A `timestamptz` column is an instant; a `timestamp` column holds local times of `timeZone`. */
export function timeColumn(alias: string, column: ColumnInfo, timeZone: string, configKey: string): TimeColumn {
  const ref = `${alias}.${q(column.name)}`;
  if (column.family === 'timestamptz')
    return {
      ref,
      epochMs: epochMs(ref),
      epochMsOf: epochMs,
      fromInstant: (param) => `${param}::timestamptz`,
      now: 'now()',
      position: `${ref}::text`,
      positionParam: (param) => `${param}::timestamptz`,
    };
  if (column.family === 'timestamp') {
    const zone = literal(timeZone);
    const epochMsOf = (expression: string) => epochMs(`(${expression} AT TIME ZONE ${zone})`);
    return {
      ref,
      epochMs: epochMsOf(ref),
      epochMsOf,
      fromInstant: (param) => `(${param}::timestamptz AT TIME ZONE ${zone})`,
      now: `(now() AT TIME ZONE ${zone})`,
      position: `${ref}::text`,
      positionParam: (param) => `${param}::timestamp`,
    };
  }
  throw new CatalogError(`column "${column.name}" (${configKey}) is ${column.sqlType}, not a timestamp`);
}

/** The family of keys the orders' id column holds. */
export function keyFamilyOf(column: ColumnInfo, configKey: string): KeyFamily {
  if (column.family === 'uuid' || column.family === 'integer' || column.family === 'text') return column.family;
  throw new CatalogError(
    `column "${column.name}" (${configKey}) is ${column.sqlType}: an order id is uuid, integer or text`,
  );
}

const UUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
const INTEGER_PATTERN = '^(0|-?[1-9][0-9]{0,18})$';

export interface KeyColumn {
  ref: string;
  /** The value as text: canonical for a uuid or an integer column; as stored for text. */
  text: string;
  /** A parameter array as this column's own type (for `= ANY`), so its index is used. */
  anyParam(param: string): string;
  /** Whether a canonical key can be held by this column at all (an integer column holds no 'A-7'): only those are sent. */
  canHold(key: string): boolean;
  /**
   * The expression the full sweep orders this column by to get Recon's key order, keys that cannot be keys last;
   * `isNative` when it is the column itself, whose index gives that order without a sort.
   */
  order: { expression: string; isNative: boolean };
}

const INTEGER_RANGES: Record<string, [bigint, bigint]> = {
  smallint: [-(2n ** 15n), 2n ** 15n - 1n],
  integer: [-(2n ** 31n), 2n ** 31n - 1n],
  bigint: [-(2n ** 63n), 2n ** 63n - 1n],
};

/** A column holding order ids (the orders' id, a dispatch's order reference), compared as `family` keys. */
export function keyColumn(alias: string, column: ColumnInfo, family: KeyFamily, configKey: string): KeyColumn {
  const ref = `${alias}.${q(column.name)}`;
  const base = { ref, text: `${ref}::text`, anyParam: (param: string) => `${param}::${column.sqlType}[]` };
  if (column.family === 'text') {
    if (family === 'text') {
      const expression = column.isByteOrdered ? ref : `${ref} COLLATE "C"`;
      return { ...base, canHold: () => true, order: { expression, isNative: column.isByteOrdered } };
    }
    // Text holding numbers or uuids: ordered as the keys they stand for, anything else after them.
    const pattern = literal(family === 'integer' ? INTEGER_PATTERN : UUID_PATTERN);
    const asKey = family === 'integer' ? `${ref}::numeric` : `${ref} COLLATE "C"`;
    return {
      ...base,
      canHold: () => true,
      order: { expression: `(CASE WHEN ${ref} ~ ${pattern} THEN ${asKey} END) NULLS LAST`, isNative: false },
    };
  }
  if (column.family === 'uuid' && (family === 'uuid' || family === 'text')) {
    const uuid = new RegExp(UUID_PATTERN);
    const order =
      family === 'uuid'
        ? { expression: ref, isNative: true }
        : { expression: `${base.text} COLLATE "C"`, isNative: false };
    return { ...base, canHold: (key) => uuid.test(key), order };
  }
  const range = INTEGER_RANGES[column.sqlType];
  if (column.family === 'integer' && range && (family === 'integer' || family === 'text')) {
    const integer = new RegExp(INTEGER_PATTERN);
    const canHold = (key: string) => integer.test(key) && BigInt(key) >= range[0] && BigInt(key) <= range[1];
    const order =
      family === 'integer'
        ? { expression: ref, isNative: true }
        : { expression: `${base.text} COLLATE "C"`, isNative: false };
    return { ...base, canHold, order };
  }
  throw new CatalogError(
    `column "${column.name}" (${configKey}) is ${column.sqlType}; it cannot hold the order ids, which are ${family} keys`,
  );
}

/** A column a JSON path reads: its text is parsed in JavaScript (values.ts), so json, jsonb or text. */
export function assertJsonText(column: ColumnInfo, configKey: string): void {
  if (column.family === 'json' || column.family === 'text') return;
  throw new CatalogError(
    `column "${column.name}" (${configKey}) is ${column.sqlType}: a JSON path reads json, jsonb or text`,
  );
}

/** A column read as a JSON document (the driver parses json and jsonb; text would stay a string): json or jsonb. */
export function assertJsonDocument(column: ColumnInfo, configKey: string): void {
  if (column.family === 'json') return;
  throw new CatalogError(`column "${column.name}" (${configKey}) is ${column.sqlType}: it must be json or jsonb`);
}
