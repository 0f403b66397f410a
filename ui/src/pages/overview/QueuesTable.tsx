import type { QueueNow } from '../../api/types.ts';
import { Time } from '../../components/Time.tsx';
import { formatCount, formatRate } from '../../lib/format.ts';

export function QueuesTable({ queues }: { queues: QueueNow[] }) {
  return (
    <section aria-labelledby="queues-title">
      <h2 id="queues-title">Watched queues</h2>
      <div class="table-wrap">
        <table data-testid="queues-table">
          <thead>
            <tr>
              <th scope="col">Queue</th>
              <th scope="col" class="num">
                Ready
              </th>
              <th scope="col" class="num">
                Unacked
              </th>
              <th scope="col" class="num">
                Consumers
              </th>
              <th scope="col" class="num">
                Publish
              </th>
              <th scope="col" class="num">
                Deliver
              </th>
              <th scope="col" class="num">
                Ack
              </th>
              <th scope="col">Read at</th>
            </tr>
          </thead>
          <tbody>
            {queues.map((q) => (
              <tr key={q.name} data-testid="queue-row" data-queue={q.name} class={q.isStale ? 'stale' : ''}>
                <td>
                  {q.name}
                  {q.exists === false && <span class="badge warn">not on the broker</span>}
                  {q.isStale && <span class="badge warn">stale</span>}
                </td>
                <td class="num">{formatCount(q.ready)}</td>
                <td class="num">{formatCount(q.unacked)}</td>
                <td class="num">{formatCount(q.consumers)}</td>
                <td class="num">{formatRate(q.rates?.publish)}</td>
                <td class="num">{formatRate(q.rates?.deliver)}</td>
                <td class="num">{formatRate(q.rates?.ack)}</td>
                <td>
                  <Time iso={q.at} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {queues.length === 0 && <p class="muted">The broker is not being polled.</p>}
    </section>
  );
}
