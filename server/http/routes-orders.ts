import { Hono } from 'hono';
import { z } from 'zod';
import type { ReconStore } from '../store/types.ts';
import type { TimelinePort, TimelineRows } from './timeline.ts';
import { toTimelineEvents } from './timeline-events.ts';
import { parseOrThrow } from './validate.ts';

// Lower-cased: PostgreSQL prints uuids in lower case, and finding keys are compared as text.
const params = z.object({ orderId: z.guid().transform((id) => id.toLowerCase()) });

export function ordersRoutes(store: ReconStore, timeline: TimelinePort): Hono {
  const app = new Hono();

  app.get('/api/orders/:orderId/timeline', async (c) => {
    const { orderId } = parseOrThrow(params, c.req.param(), 'path parameter');
    const [read, findings] = await Promise.all([timeline.order(orderId), store.findingsForOrder(orderId)]);
    // With a database down the findings are still worth showing; `unavailable` tells the UI that an empty
    // order or dispatch list means "could not read", not "does not exist".
    const rows: TimelineRows = 'unavailable' in read ? { order: null, outbox: [], dispatches: [] } : read;
    const unavailable = 'unavailable' in read ? read.unavailable : [];
    return c.json({ orderId, ...rows, findings, events: toTimelineEvents(rows, findings), unavailable });
  });

  return app;
}
