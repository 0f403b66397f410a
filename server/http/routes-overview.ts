import { Hono } from 'hono';
import { z } from 'zod';
import { FINDING_KINDS } from '../../reconcilers/registry.ts';
import type { BrokerView } from '../broker-poller.ts';
import type { LatencyHistory } from '../metrics/latency-history.ts';
import { ageSeconds } from '../metrics/state.ts';
import type { ReconStore } from '../store/types.ts';
import { asJson } from './as-json.ts';
import { toQueueHistory, toQueuesNow } from './broker-overview.ts';
import { parseOrThrow, withoutEmpty } from './validate.ts';
import type { FeatureJson, OverviewJson, SourcesJson } from './wire.ts';

export const overviewQuery = z.object({ minutes: z.coerce.number().int().min(5).max(1440).default(60) });
/** Each kind's card says how its open count moved over this many minutes. */
const CHANGE_MINUTES = 15;

/** Minute buckets up to two hours; beyond that wider buckets keep a chart at about 120 points per kind. */
export function bucketSecondsFor(minutes: number): number {
  return minutes <= 120 ? 60 : Math.ceil(minutes / 120) * 60;
}

export interface OverviewDeps {
  store: ReconStore;
  now: () => Date;
  broker?: BrokerView;
  latency?: LatencyHistory;
  /** How often the slowest source is read: the UI calls a source stale after three of these. */
  pollIntervalMs?: number;
  /** What the watched system's configuration turns on and off (none given: nothing to say). */
  features?: readonly FeatureJson[];
}

/** The overview as JSON: for GET /api/overview and for every live event (server/http/routes-events.ts). */
export function overviewBuilder({ store, now, broker, latency, pollIntervalMs, features = [] }: OverviewDeps) {
  return async (minutes: number): Promise<OverviewJson> => {
    const at = now();
    const from = new Date(at.getTime() - minutes * 60_000);
    const bucketSeconds = bucketSecondsFor(minutes);
    const [summary, history, sources, change] = await Promise.all([
      store.openSummary(),
      store.history(from, bucketSeconds),
      store.listSourceHealth(),
      // Two buckets, CHANGE_MINUTES apart: open then and open now. The same for every window, so a card's change
      // does not depend on the chart the page shows.
      store.history(new Date(at.getTime() - CHANGE_MINUTES * 60_000), CHANGE_MINUTES * 60),
    ]);
    const openThen = new Map(change.filter((p) => p.at.getTime() < at.getTime()).map((p) => [p.kind, p.open]));
    // Every kind, in contract order, so the UI's cards do not jump around as kinds come and go.
    const findings = FINDING_KINDS.map((kind) => {
      const s = summary.find((row) => row.kind === kind) ?? { kind, open: 0, oldestFirstSeenAt: null };
      return {
        ...s,
        oldestAgeSeconds: s.oldestFirstSeenAt ? Math.round(ageSeconds(s.oldestFirstSeenAt, at)) : null,
        changeLast15Min: s.open - (openThen.get(kind) ?? 0),
      };
    });
    // The watched queues come from the broker poller's memory: a page view never polls the broker.
    const queues = broker ? toQueuesNow(broker, at) : [];
    const queueHistory = broker ? toQueueHistory(broker, from) : [];
    // Latency is observed by the replica that runs the cycles (the leader); another replica shows none.
    const latencyPoints = latency ? latency.since(from) : [];
    const pollInterval = pollIntervalMs === undefined ? {} : { pollIntervalSeconds: pollIntervalMs / 1000 };
    return asJson({
      at,
      minutes,
      bucketSeconds,
      findings,
      history,
      sources,
      queues,
      queueHistory,
      latency: latencyPoints,
      ...pollInterval,
      features: [...features],
    });
  };
}

export function overviewRoutes(deps: OverviewDeps): Hono {
  const app = new Hono();
  const overview = overviewBuilder(deps);

  app.get('/api/overview', async (c) => {
    const { minutes } = parseOrThrow(overviewQuery, withoutEmpty(c.req.query()), 'query parameter');
    return c.json<OverviewJson>(await overview(minutes));
  });

  app.get('/api/sources', async (c) =>
    c.json<SourcesJson>(asJson({ sources: await deps.store.listSourceHealth(), features: [...(deps.features ?? [])] })),
  );

  return app;
}
