import { z } from 'zod';
import { ApiError } from './api-error.ts';
import type { InvalidParameter } from './wire.ts';

// Input validation at the edge: one shape of 400 for every route, naming each bad parameter, so the UI (and a
// person with curl) can tell which one to fix. The message is zod's, about the input, never about internals.

export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown, where: string): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details: InvalidParameter[] = result.error.issues.map((issue) => ({
    parameter: issue.path.join('.') || '(root)',
    message: issue.message,
  }));
  throw badRequest(where, details);
}

/** The 400 every route answers for bad input. */
export function badRequest(where: string, details: InvalidParameter[]): ApiError {
  return new ApiError(400, `invalid ${where}: ${details.map((d) => d.parameter).join(', ')}`, { details });
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
