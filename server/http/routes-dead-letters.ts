import { Hono } from 'hono';
import { z } from 'zod';
import { decodeUtf8 } from '../adapters/json-body.ts';
import type { DeadLetter, DeadLetterStore } from '../store/dead-letter-types.ts';
import { ApiError } from './api-error.ts';
import { asJson } from './as-json.ts';
import { optionalText, parseOrThrow, withoutEmpty } from './validate.ts';
import type { DeadLetterJson, DeadLetterPageJson } from './wire.ts';

const MAX_PAGE_SIZE = 500;
const rowId = z.string().regex(/^\d{1,18}$/, 'must be a dead letter id');

export const deadLettersQuery = z.object({
  reason: optionalText(100),
  /** An order id or message id (exact), or text in the body, parseable or not. */
  q: optionalText(200),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
  cursor: rowId.optional(),
});
export const deadLetterParams = z.object({ id: rowId });

// Everything a dead letter holds came from a producer or the broker: it leaves here as JSON data only, and the
// UI renders it as text (DESIGN: Security).
export function deadLettersRoutes(store: DeadLetterStore): Hono {
  const app = new Hono();

  app.get('/api/dead-letters', async (c) => {
    const query = parseOrThrow(deadLettersQuery, withoutEmpty(c.req.query()), 'query parameter');
    return c.json<DeadLetterPageJson>(asJson(await store.listDeadLetters(query)));
  });

  app.get('/api/dead-letters/:id', async (c) => {
    const { id } = parseOrThrow(deadLetterParams, c.req.param(), 'path parameter');
    const letter = await store.getDeadLetter(id);
    if (!letter) throw new ApiError(404, `no dead letter ${id}`);
    const replay = await store.replayOf(letter);
    return c.json<DeadLetterJson>(asJson({ ...toDeadLetterView(letter), replay }));
  });

  return app;
}

/**
 * The body as UTF-8 text when it is valid UTF-8, base64 otherwise (never a lossy decode), and `parsed` only for a
 * parseable body: valid JSON, whole, shallow enough that serialising it again cannot overflow the stack.
 */
export function toDeadLetterView({ body, ...letter }: DeadLetter) {
  const text = decodeUtf8(body);
  const shown: DeadLetterJson['body'] =
    text === null ? { encoding: 'base64', text: body.toString('base64') } : { encoding: 'utf8', text };
  const view = { ...letter, body: shown };
  if (!letter.isParseable || text === null) return view;
  try {
    return { ...view, parsed: JSON.parse(text) as unknown };
  } catch {
    return view;
  }
}
