import { api } from '../../api/endpoints.ts';
import type { TimelineSource } from '../../api/types.ts';
import { ErrorText } from '../../components/ErrorText.tsx';
import { TimelineList } from '../../components/TimelineList.tsx';
import { useApi } from '../../hooks/use-api.ts';
import { href } from '../../routing/routes.ts';

/** What the watched system itself holds; Recon's own findings and actions are on this page already. */
const SYSTEM_SOURCES: ReadonlySet<TimelineSource> = new Set(['order', 'outbox', 'inbox', 'dispatch', 'dead-letter']);

/**
 * The order's record in the watched system, beside the finding: whether its message was published and confirmed,
 * whether the consumer's inbox processed it, which dispatches exist. That is what tells "never published" (republish)
 * from "published but never processed" (redeliver) without leaving the page. Loaded again when `version` changes
 * (the finding's state or its latest action), not on every poll: it reads both business databases.
 */
export function OrderRecord({ orderId, version }: { orderId: string; version: string }) {
  const { data, error } = useApi((signal) => api.orders.timeline(orderId, signal), [orderId, version]);
  const events = data?.events.filter((event) => SYSTEM_SOURCES.has(event.source)) ?? [];
  return (
    <section data-testid="order-record" aria-labelledby="order-record-title">
      <h2 id="order-record-title">
        What the system recorded for order <span class="mono">{orderId}</span>
      </h2>
      <ErrorText error={error} />
      {!data && !error && <p data-testid="loading">Loading…</p>}
      {data && data.unavailable.length > 0 && (
        <p class="banner warn" role="status" data-testid="order-record-unavailable">
          Could not read the {data.unavailable.join(' and ')} database: its rows are unknown here, not absent.
        </p>
      )}
      {data && !data.order && data.unavailable.length === 0 && (
        <p class="muted" data-testid="order-record-no-order">
          The orders database has no such order.
        </p>
      )}
      {data && <TimelineList events={events} testId="order-record-events" />}
      {data && events.length === 0 && <p class="muted">Nothing recorded for this order.</p>}
      <p>
        <a href={href.order(orderId)}>The whole timeline, with Recon's findings and actions</a>
      </p>
    </section>
  );
}
