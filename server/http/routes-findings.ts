import { Hono } from 'hono';
import { z } from 'zod';
import type { Advice } from '../../reconcilers/define-kind.ts';
import { type ActionName, FINDING_KINDS, inWords, kindNamed, repairOf } from '../../reconcilers/registry.ts';
import type { ActionRecord, ActionStore } from '../store/action-types.ts';
import { InvalidCursorError } from '../store/finding-cursor.ts';
import type { ReconStore } from '../store/types.ts';
import { toActionJson } from './action-json.ts';
import { ApiError } from './api-error.ts';
import { asJson } from './as-json.ts';
import { badRequest, optionalText, parseOrThrow, withoutEmpty } from './validate.ts';
import type { FindingDetailJson, FindingPageJson } from './wire.ts';

export const MAX_PAGE_SIZE = 500;

export const findingsQuery = z.object({
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
export const findingParams = z.object({ id: findingId });

/** How many of a finding's newest actions are read to find the one that resolved it. */
const RECENT_ACTIONS = 20;

/** `actions` absent: Recon runs without actions, and a finding page shows none. */
export function findingsRoutes(store: ReconStore, actions?: ActionStore): Hono {
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
    const id = parseOrThrow(findingParams, c.req.param(), 'path parameter').id;
    const finding = await store.getFinding(id);
    if (!finding) throw new ApiError(404, `no finding ${id}`);
    const { evidence, key } = finding;
    // Each allowed action with its effect in the operator's words, for the confirmation the UI shows.
    const actionDetails = finding.actions.flatMap((action) => {
      const repair = repairOf(finding.kind, action);
      if (!repair) return [];
      return [
        {
          action,
          description: inWords(() => repair.describe(evidence, key), action),
          customerEffect: inWords(() => repair.customerEffect(evidence, key), ''),
          whenToChoose: repair.whenToChoose,
        },
      ];
    });
    // A row of a kind this version no longer knows still shows, named by its kind.
    const kind = kindNamed(finding.kind);
    const words = {
      title: kind?.title ?? finding.kind,
      explanation: inWords(() => kind?.explain(evidence, key) ?? '', ''),
      cause: inWords(() => kind?.cause(evidence, key) ?? '', ''),
      // A kind recommends only its own repairs (defineKind checks it), all of them action names.
      recommendation: kind
        ? (orFallback(() => kind.recommend(evidence, key), null) as Advice<ActionName> | null)
        : null,
    };
    const recent = actions ? await actions.list({ findingId: id, limit: RECENT_ACTIONS }) : [];
    const resolvedBy = finding.resolvedAt && resolvingAction(recent, finding.resolvedAt);
    return c.json<FindingDetailJson>(
      asJson({
        ...finding,
        ...words,
        actionDetails,
        latestAction: recent[0] ? toActionJson(recent[0]) : null,
        resolvedBy: resolvedBy ? toActionJson(resolvedBy) : null,
      }),
    );
  });

  return app;
}

/**
 * The newest done action taken before the finding resolved: the next cycles saw its effect. A finding that resolved
 * with no such action (someone fixed it outside Recon, or it was late, not lost) has none.
 */
function resolvingAction(newestFirst: ActionRecord[], resolvedAt: Date): ActionRecord | undefined {
  return newestFirst.find((a) => a.status === 'done' && a.createdAt.getTime() <= resolvedAt.getTime());
}

/** As `inWords`, for a value: evidence an older version wrote may lack a field the kind reads. */
function orFallback<T>(value: () => T, fallback: T): T {
  try {
    return value();
  } catch {
    return fallback;
  }
}
