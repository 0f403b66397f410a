import { Hono } from 'hono';
import { z } from 'zod';
import { canonicalKey, keyProblem } from '../../reconcilers/keys.ts';
import type { OrderHistory, TimelinePort } from '../../reconcilers/ports/timeline.ts';
import type { BrokerView } from '../broker-poller.ts';
import type { ActionStore } from '../store/action-types.ts';
import type { DeadLetterStore } from '../store/dead-letter-types.ts';
import type { ReconStore } from '../store/types.ts';
import { asJson } from './as-json.ts';
import { toBrokerNow } from './broker-overview.ts';
import { toTimelineEvents } from './timeline-events.ts';
import { badRequest, parseOrThrow } from './validate.ts';
import type { OrderTimelineJson } from './wire.ts';

export const timelineParams = z.object({ orderId: z.string().trim().min(1).max(512) });

/**
 * The order id in the canonical text findings are keyed by (a uuid in lower case, a number without leading zeros),
 * or a 400 saying why it cannot be one of this system's ids. With the orders database not yet read, the id is taken
 * as typed: the timeline then says the database could not be read.
 */
async function orderKeyOrThrow(timeline: TimelinePort, typed: string): Promise<string> {
  const family = await timeline.keyFamily().catch(() => null);
  if (family === null) return typed;
  const key = canonicalKey(typed, family);
  const problem = keyProblem(key, family);
  if (problem === null) return key;
  throw badRequest('path parameter', [
    { parameter: 'orderId', message: `${typed} is not an order id here: ${problem}` },
  ]);
}

export function ordersRoutes(
  store: ReconStore,
  timeline: TimelinePort,
  deadLetters?: DeadLetterStore,
  broker?: BrokerView,
  actions?: ActionStore,
): Hono {
  const app = new Hono();

  app.get('/api/orders/:orderId/timeline', async (c) => {
    const orderId = await orderKeyOrThrow(
      timeline,
      parseOrThrow(timelineParams, c.req.param(), 'path parameter').orderId,
    );
    const [read, findings, letters] = await Promise.all([
      timeline.orderHistory(orderId),
      store.findingsForOrder(orderId),
      deadLetters?.deadLettersForOrder(orderId) ?? [],
    ]);
    // With a database down the findings are still worth showing; `unavailable` tells the UI that an empty
    // order or dispatch list means "could not read", not "does not exist".
    const history: OrderHistory = 'unavailable' in read ? { order: null, outbox: [], dispatches: [] } : read;
    const unavailable: string[] = 'unavailable' in read ? [...read.unavailable] : [];
    // Recon's actions on the order itself, or on a finding about it (a dead letter's, an outbox row's).
    const taken =
      (await actions?.about(
        `order:${orderId}`,
        findings.map((f) => f.id),
      )) ?? [];
    // Every message id the order's story names: which of them did the consumer process?
    const messageIds = [
      ...history.outbox.map((row) => row.messageId),
      ...history.dispatches.map((row) => row.messageId),
      ...letters.map((letter) => letter.messageId),
      ...taken.map((action) => action.messageId),
    ].filter((id): id is string => !!id);
    const inbox = timeline.inboxRecords
      ? await timeline.inboxRecords(messageIds).catch(() => {
          unavailable.push('inbox');
          return [];
        })
      : [];
    const events = toTimelineEvents(history, findings, letters, inbox, taken);
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
