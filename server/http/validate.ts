import { z } from 'zod';
import { pgTextProblem } from '../store/pg-text.ts';
import { ApiError } from './api-error.ts';
import type { InvalidParameter } from './wire.ts';

// Input validation at the edge: one shape of 400 for every route, naming each bad parameter, so the UI (and a
// person with curl) can tell which one to fix. The message is zod's, about the input, never about internals.

/** A 400 lists this many refused parameters at most (10,000 bad ids would make a megabyte of details). */
const MAX_LISTED = 20;

export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown, where: string): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const details = result.error.issues.map((issue) => ({
      parameter: issue.path.join('.') || '(root)',
      message: issue.message,
    }));
    throw badRequest(where, details);
  }
  // Once here for every route, not in each schema, so no string field can be forgotten: PostgreSQL text cannot hold
  // NUL (the query fails: a 500 and a stack trace in the log) and would store a lone surrogate as U+FFFD.
  const badText = badTextIn(result.data);
  if (badText.length > 0) throw badRequest(where, badText);
  return result.data;
}

/** The 400 every route answers for bad input: the first MAX_LISTED problems, and how many more there were. */
export function badRequest(where: string, details: InvalidParameter[]): ApiError {
  const listed = details.slice(0, MAX_LISTED);
  const more = details.length > listed.length ? ` and ${details.length - listed.length} more` : '';
  return new ApiError(400, `invalid ${where}: ${listed.map((d) => d.parameter).join(', ')}${more}`, {
    details: listed,
  });
}

/** Each string in a parsed value that PostgreSQL cannot store as given, by its path (`findingIds.3`, `filter.q`). */
function badTextIn(value: unknown): InvalidParameter[] {
  const found: InvalidParameter[] = [];
  // Breadth first without recursion, so the problems come in the order of the input and depth is no risk.
  const pending: Array<{ item: unknown; path: string[] }> = [{ item: value, path: [] }];
  for (let i = 0; i < pending.length; i++) {
    const { item, path } = pending[i]!;
    if (typeof item === 'string') {
      const message = pgTextProblem(item);
      if (message) found.push({ parameter: path.join('.') || '(root)', message });
    } else if (item !== null && typeof item === 'object') {
      for (const [key, child] of Object.entries(item)) pending.push({ item: child, path: [...path, key] });
    }
  }
  return found;
}

/** `?kind=` from an "all" option in a select means "no filter", not "the kind named ''". */
export function withoutEmpty(query: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(query).filter(([, value]) => value !== ''));
}

/** An optional free-text parameter: trimmed, bounded, and absent when empty (`?q=` means "no search"). */
export const optionalText = (maxLength: number) =>
  z
    .string()
    .trim()
    .max(maxLength)
    .optional()
    .transform((text) => text || undefined);
