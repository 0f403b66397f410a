import { Hono } from 'hono';
import { z } from 'zod';
import { FINDING_KINDS, inWords, kindNamed, repairOf } from '../../reconcilers/registry.ts';
import { InvalidCursorError } from '../store/finding-cursor.ts';
import type { ReconStore } from '../store/types.ts';
import { ApiError } from './api-error.ts';
import { asJson } from './as-json.ts';
import { badRequest, optionalText, parseOrThrow, withoutEmpty } from './validate.ts';
import type { FindingDetailJson, FindingPageJson } from './wire.ts';

export const MAX_PAGE_SIZE = 500;

const findingsQuery = z.object({
  kind: z.enum(FINDING_KINDS).optional(),
  state: z.enum(['open', 'resolved', 'all']).default('open'),
  /** A key, an order id or a message id, matched exactly by the store; bounded like every other input. */
  q: optionalText(200),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
  cursor: z.string().max(1000).optional(),
});

// A finding id is `${kind}:${key}`; the kind's prefix is checked so a junk id never reaches the store.
const findingId = z
  .string()
  .max(300)
  .refine((id) => FINDING_KINDS.some((kind) => id.startsWith(`${kind}:`)), 'not a finding id');

export function findingsRoutes(store: ReconStore): Hono {
  const app = new Hono();

  app.get('/api/findings', async (c) => {
    const query = parseOrThrow(findingsQuery, withoutEmpty(c.req.query()), 'query parameter');
    try {
      return c.json<FindingPageJson>(asJson(await store.listFindings(query)));
    } catch (err) {
      // A cursor the client mangled or forged is bad input, not a server fault.
      if (err instanceof InvalidCursorError)
        throw badRequest('query parameter', [{ parameter: 'cursor', message: err.message }]);
      throw err;
    }
  });

  app.get('/api/findings/:id{.+}', async (c) => {
    const id = parseOrThrow(z.object({ id: findingId }), c.req.param(), 'path parameter').id;
    const finding = await store.getFinding(id);
    if (!finding) throw new ApiError(404, `no finding ${id}`);
    // Each allowed action with its effect in the operator's words, for the confirmation the UI shows.
    const actionDetails = finding.actions.flatMap((action) => {
      const repair = repairOf(finding.kind, action);
      const description = inWords(() => repair?.describe(finding.evidence, finding.key) ?? action, action);
      return repair ? [{ action, description }] : [];
    });
    // A row of a kind this version no longer knows still shows, named by its kind.
    const kind = kindNamed(finding.kind);
    const words = {
      title: kind?.title ?? finding.kind,
      explanation: inWords(() => kind?.explain(finding.evidence, finding.key) ?? '', ''),
    };
    return c.json<FindingDetailJson>(asJson({ ...finding, ...words, actionDetails }));
  });

  return app;
}
