import { Hono } from 'hono';
import { z } from 'zod';
import type { OrderHistory, TimelinePort } from '../../reconcilers/ports/timeline.ts';
import type { BrokerView } from '../broker-poller.ts';
import type { DeadLetterStore } from '../store/dead-letter-types.ts';
import type { ReconStore } from '../store/types.ts';
import { asJson } from './as-json.ts';
import { toBrokerNow } from './broker-overview.ts';
import { toTimelineEvents } from './timeline-events.ts';
import { parseOrThrow } from './validate.ts';
import type { OrderTimelineJson } from './wire.ts';

// Lower-cased: PostgreSQL prints uuids in lower case, and finding keys are compared as text.
const params = z.object({ orderId: z.guid().transform((id) => id.toLowerCase()) });

export function ordersRoutes(
  store: ReconStore,
  timeline: TimelinePort,
  deadLetters?: DeadLetterStore,
  broker?: BrokerView,
): Hono {
  const app = new Hono();

  app.get('/api/orders/:orderId/timeline', async (c) => {
    const { orderId } = parseOrThrow(params, c.req.param(), 'path parameter');
    const [read, findings, letters] = await Promise.all([
      timeline.orderHistory(orderId),
      store.findingsForOrder(orderId),
      deadLetters?.deadLettersForOrder(orderId) ?? [],
    ]);
    // With a database down the findings are still worth showing; `unavailable` tells the UI that an empty
    // order or dispatch list means "could not read", not "does not exist".
    const history: OrderHistory = 'unavailable' in read ? { order: null, outbox: [], dispatches: [] } : read;
    const unavailable = 'unavailable' in read ? read.unavailable : [];
    const events = toTimelineEvents(history, findings, letters);
    // The rows as the databases hold them, every column, for the operator to read.
    const rows = {
      order: history.order?.columns ?? null,
      outbox: history.outbox.map((row) => row.columns),
      dispatches: history.dispatches.map((row) => row.columns),
    };
    // The watched queues' current depth (null when the broker was not read fresh): is the order's message waiting?
    const brokerNow = broker ? toBrokerNow(broker, new Date()) : null;
    return c.json<OrderTimelineJson>(
      asJson({ orderId, ...rows, findings, deadLetters: letters, events, unavailable, broker: brokerNow }),
    );
  });

  return app;
}
