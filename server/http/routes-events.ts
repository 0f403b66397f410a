import { setTimeout as sleep } from 'node:timers/promises';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { errorJson } from './api-error.ts';
import { type OverviewDeps, overviewBuilder } from './routes-overview.ts';
import type { EventsJson } from './wire.ts';

export interface EventsDeps extends OverviewDeps {
  /** How often a connected page gets a fresh overview. */
  intervalMs: number;
  /** Aborted when Recon stops: open streams end, so a graceful shutdown does not wait on them forever. */
  shutdown: AbortSignal;
}

/**
 * Server-sent events for the live overview: `event: overview` with the JSON of GET /api/overview?minutes=60, at once
 * and then every interval. EventSource reconnects by itself, so a replica restart costs the page one interval.
 */
export function eventsRoutes(deps: EventsDeps): Hono {
  const app = new Hono();
  const overview = overviewBuilder(deps);

  app.get('/api/events', (c) =>
    streamSSE(c, async (stream) => {
      let id = 0;
      // Ends the wait between events when the page goes away or Recon stops; nothing stays registered after.
      const gone = new AbortController();
      stream.onAbort(() => gone.abort());
      const stopped = AbortSignal.any([gone.signal, deps.shutdown]);
      while (!stream.aborted && !stream.closed && !stopped.aborted) {
        id += 1;
        // Recon's own database down: the page keeps its last numbers and says so, and the stream goes on.
        const event = await overview(60).then(
          (json) => toEvent('overview', json),
          () => toEvent('overview-unavailable', errorJson('unavailable', "Recon's database cannot be read")),
        );
        await stream.writeSSE({ ...event, id: String(id) });
        await sleep(deps.intervalMs, undefined, { signal: stopped }).catch(() => {});
      }
    }),
  );

  return app;
}

const toEvent = <E extends keyof EventsJson>(event: E, data: EventsJson[E]) => ({ event, data: JSON.stringify(data) });
