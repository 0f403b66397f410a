import { setTimeout as sleep } from 'node:timers/promises';
import { type Context, Hono } from 'hono';
import { errorJson } from './api-error.ts';
import type { AuthEnv } from './auth.ts';
import { createEventStream } from './event-stream.ts';
import { type OverviewDeps, overviewBuilder, overviewQuery } from './routes-overview.ts';
import type { SignedInCheck } from './session-liveness.ts';
import { parseOrThrow, withoutEmpty } from './validate.ts';
import type { EventsJson } from './wire.ts';

export interface EventsDeps extends OverviewDeps {
  /** How often a connected page gets a fresh overview. */
  intervalMs: number;
  /** Aborted when Recon stops: open streams end, so a graceful shutdown does not wait on them forever. */
  shutdown: AbortSignal;
  /** Called as a stream opens; the check it returns runs before each later event, and a no ends the stream. */
  watchSignedIn?: (c: Context<AuthEnv>) => Promise<SignedInCheck>;
}

/**
 * Server-sent events for the live overview: `event: overview` with the JSON of GET /api/overview?minutes=… (the
 * stream's own `minutes`, 60 by default), at once and then every interval. EventSource reconnects by itself, so a replica restart costs the page one interval.
 * A stream ends with its session (sign-out, expiry, a new password): it re-checks before each event, so a signed-out
 * page stops receiving within one interval, on whichever replica holds its stream.
 */
export function eventsRoutes(deps: EventsDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const overview = overviewBuilder(deps);

  app.get('/api/events', (c) => {
    // Checked before the stream opens: a bad window is a 400, not a stream of errors.
    const { minutes } = parseOrThrow(overviewQuery, withoutEmpty(c.req.query()), 'query parameter');
    const { body, headers, sink } = createEventStream(c.req.header('accept-encoding'));
    void (async () => {
      const isSignedIn = deps.watchSignedIn ? await deps.watchSignedIn(c) : async () => true;
      // Ends the wait between events when the page goes away or Recon stops; nothing stays registered after.
      const stopped = AbortSignal.any([sink.closed, deps.shutdown, c.req.raw.signal]);
      for (let id = 1; !stopped.aborted; id += 1) {
        if (id > 1 && !(await isSignedIn())) break;
        // Recon's own database down: the page keeps its last numbers and says so, and the stream goes on.
        const event = await overview(minutes).then(
          (json) => toEvent('overview', json),
          () => toEvent('overview-unavailable', errorJson('unavailable', "Recon's database cannot be read")),
        );
        if (!sink.send({ ...event, id: String(id) })) break;
        await sleep(deps.intervalMs, undefined, { signal: stopped }).catch(() => {});
      }
      sink.close();
    })().catch(() => sink.close());
    return new Response(body, { headers });
  });

  return app;
}

const toEvent = <E extends keyof EventsJson>(event: E, data: EventsJson[E]) => ({ event, data: JSON.stringify(data) });
