import { api } from '../api/endpoints.ts';
import type { OrderTimeline } from '../api/types.ts';
import { ErrorText } from '../components/ErrorText.tsx';
import { QueueTable } from '../components/QueueTable.tsx';
import { Time } from '../components/Time.tsx';
import { TimelineList } from '../components/TimelineList.tsx';
import { useApi } from '../hooks/use-api.ts';
import { toPrettyJson } from '../lib/format.ts';

/**
 * One order's story across the order database, the broker, the consumer's inbox, dead letters, the dispatch
 * database and Recon's own actions: "never processed" (no inbox event) reads differently from "dispatch cancelled".
 */
export function OrderTimelinePage({ orderId }: { orderId: string }) {
  const { data, error } = useApi((signal) => api.orders.timeline(orderId, signal), [orderId]);

  return (
    <section>
      <h1>
        Order <span class="mono">{orderId}</span>
      </h1>
      <ErrorText error={error} />
      {!data && !error && <p data-testid="loading">Loading…</p>}
      {data && (
        <>
          {data.unavailable.length > 0 && (
            <div class="banner warn" role="status" data-testid="timeline-unavailable">
              Could not read the {data.unavailable.join(' and ')} database: what it holds (order, outbox, inbox or
              dispatch rows) is unknown here, not absent. Findings, dead letters and actions below are Recon's own.
            </div>
          )}
          {!data.order && data.unavailable.length === 0 && (
            <p class="banner warn">The orders database has no such order.</p>
          )}
          <TimelineList events={data.events} />
          {data.events.length === 0 && <p class="muted">Nothing recorded for this order.</p>}
          <BrokerNow broker={data.broker} />
          {data.order && (
            <details>
              <summary>Order row</summary>
              <pre class="json">{toPrettyJson(data.order)}</pre>
            </details>
          )}
        </>
      )}
    </section>
  );
}

function BrokerNow({ broker }: { broker: OrderTimeline['broker'] }) {
  return (
    <section data-testid="timeline-broker" aria-labelledby="broker-title">
      <h2 id="broker-title">Broker now</h2>
      {!broker ? (
        <p class="muted">The broker was not read recently: its queue depth is unknown.</p>
      ) : (
        <QueueTable
          queues={broker.queues}
          caption={
            <>
              Watched queues at <Time iso={broker.at} />
            </>
          }
        />
      )}
    </section>
  );
}
