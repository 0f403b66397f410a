import { Hono } from 'hono';
import { z } from 'zod';
import { FINDING_KINDS } from '../../reconcilers/types.ts';
import type { BrokerView } from '../broker-poller.ts';
import { ageSeconds } from '../metrics/state.ts';
import type { ReconStore } from '../store/types.ts';
import { toQueueHistory, toQueuesNow } from './broker-overview.ts';
import { parseOrThrow, withoutEmpty } from './validate.ts';

const overviewQuery = z.object({ minutes: z.coerce.number().int().min(5).max(1440).default(60) });

/** Minute buckets up to two hours; beyond that wider buckets keep a chart at about 120 points per kind. */
export function bucketSecondsFor(minutes: number): number {
  return minutes <= 120 ? 60 : Math.ceil(minutes / 120) * 60;
}

export function overviewRoutes(store: ReconStore, now: () => Date, broker?: BrokerView): Hono {
  const app = new Hono();

  app.get('/api/overview', async (c) => {
    const { minutes } = parseOrThrow(overviewQuery, withoutEmpty(c.req.query()), 'query parameter');
    const at = now();
    const bucketSeconds = bucketSecondsFor(minutes);
    const [summary, history, sources] = await Promise.all([
      store.openSummary(),
      store.history(new Date(at.getTime() - minutes * 60_000), bucketSeconds),
      store.listSourceHealth(),
    ]);
    // Every kind, in contract order, so the UI's cards do not jump around as kinds come and go.
    const findings = FINDING_KINDS.map((kind) => {
      const s = summary.find((row) => row.kind === kind) ?? { kind, open: 0, oldestFirstSeenAt: null };
      return { ...s, oldestAgeSeconds: s.oldestFirstSeenAt ? Math.round(ageSeconds(s.oldestFirstSeenAt, at)) : null };
    });
    // The watched queues come from the broker poller's memory: a page view never polls the broker.
    const queues = broker ? toQueuesNow(broker, at) : [];
    const queueHistory = broker ? toQueueHistory(broker) : [];
    return c.json({ at, minutes, bucketSeconds, findings, history, sources, queues, queueHistory });
  });

  app.get('/api/sources', async (c) => c.json({ sources: await store.listSourceHealth() }));

  return app;
}
