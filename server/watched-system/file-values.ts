import { z } from 'zod';
import { parseJsonPath } from './json-path.ts';

// The kinds of value the watched-system file holds. Identifiers are used as written and quoted by the adapters, so
// any text is a name (`Order No`, `cap.published`, `"OutboxMessage"`'s OutboxMessage); only control characters,
// which no sane name holds and a terminal would interpret, are refused.

export const identifier = z
  .string()
  .min(1, 'must not be empty')
  // A character range, not \P{Cc}: editors read the JSON Schema's pattern without the u flag.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  .regex(/^[^\x00-\x1f\x7f]+$/, 'must not contain control characters (a newline, a tab, an escape)');

/** A name of this file's own `databases` map, which the entities' `database` keys refer to. */
export const databaseName = identifier.meta({ description: 'A key of databases' });

/** A column of this system's table, or null: the system has no such column (the features that need it are off). */
export const optionalColumn = identifier.nullable().optional();

/** A SQL boolean over the row, passed through to PostgreSQL as written. */
export const sqlCondition = z
  .string()
  .refine((text) => text.trim().length > 0, 'must not be empty')
  .meta({ description: 'A SQL boolean over the row, e.g. "state" <> \'CANCELLED\'' });

export const jsonPath = z
  .string()
  .superRefine((path, ctx) => {
    try {
      parseJsonPath(path);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  })
  .meta({ description: 'A JSON path: $ then .name, ."any name" or [index] steps, e.g. $.Value.OrderNo' });

/** Where a value lives: a column (`message_id` or `{ column: message_id }`) or JSON inside one. */
export const valueSource = z.union([
  identifier,
  z
    .strictObject({ column: identifier.optional(), json: identifier.optional(), path: jsonPath.optional() })
    .superRefine((source, ctx) => {
      const isColumn = source.column !== undefined && source.json === undefined && source.path === undefined;
      const isJson = source.column === undefined && source.json !== undefined && source.path !== undefined;
      if (!isColumn && !isJson)
        ctx.addIssue({ code: 'custom', message: 'give { column: NAME } or { json: COLUMN, path: "$.field" }' });
    }),
]);

export type ValueSourceInput = z.infer<typeof valueSource>;

export const statusValue = z.union([z.string().min(1, 'must not be empty'), z.number()]);
