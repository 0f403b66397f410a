import { api } from '../api/endpoints.ts';
import { ErrorText } from '../components/ErrorText.tsx';
import { Pager } from '../components/Pager.tsx';
import { SearchFilters } from '../components/SearchFilters.tsx';
import { Ago } from '../components/Time.tsx';
import { useApi } from '../hooks/use-api.ts';
import { useCursorStack } from '../hooks/use-cursor-stack.ts';
import { formatCount } from '../lib/format.ts';
import { href } from '../routing/routes.ts';
import { navigate } from '../routing/use-route.ts';

/** The reasons RabbitMQ writes into x-death, plus Recon's `unknown` for a letter without one. */
const REASONS = ['rejected', 'expired', 'maxlen', 'delivery_limit', 'unknown'];
const PAGE_SIZE = 50;

interface Filters {
  reason: string;
  q: string;
}

export function DeadLettersPage({ filters }: { filters: Filters }) {
  const pages = useCursorStack();
  const { data, error, isLoading } = useApi(
    (signal) =>
      api.deadLetters.list({ reason: filters.reason, q: filters.q, limit: PAGE_SIZE, cursor: pages.cursor }, signal),
    [filters.reason, filters.q, pages.cursor],
  );
  const go = (next: Partial<Filters>) => navigate(href.deadLetters({ reason: filters.reason, q: filters.q, ...next }));
  // A reason from the URL that is not in the list still shows as chosen.
  const reasons = filters.reason && !REASONS.includes(filters.reason) ? [...REASONS, filters.reason] : REASONS;

  return (
    <section>
      <h1>Dead letters</h1>
      <SearchFilters q={filters.q} onSearch={(q) => go({ q })} searchLabel="Order id, message id or body text">
        <label>
          Reason
          <select
            data-testid="filter-reason"
            value={filters.reason}
            onChange={(e) => go({ reason: e.currentTarget.value })}
          >
            <option value="">any reason</option>
            {reasons.map((reason) => (
              <option key={reason} value={reason}>
                {reason}
              </option>
            ))}
          </select>
        </label>
      </SearchFilters>
      <ErrorText error={error} />
      {isLoading && !data && <p data-testid="loading">Loading…</p>}
      {data && (
        <div class="table-wrap">
          <table data-testid="dead-letters-table">
            <thead>
              <tr>
                <th scope="col">Received</th>
                <th scope="col">Queue</th>
                <th scope="col">Reason</th>
                <th scope="col" class="num">
                  Deaths
                </th>
                <th scope="col">Message id</th>
                <th scope="col">Order</th>
                <th scope="col">State</th>
                <th scope="col" class="num">
                  Bytes
                </th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((letter) => (
                <tr key={letter.id} data-testid="dead-letter-row" data-dead-letter-id={letter.id}>
                  <td>
                    <a href={href.deadLetter(letter.id)}>
                      <Ago iso={letter.receivedAt} />
                    </a>
                  </td>
                  <td>{letter.queue}</td>
                  <td>{letter.reason}</td>
                  <td class="num">{formatCount(letter.deathCount)}</td>
                  <td class="mono">{letter.messageId ?? '—'}</td>
                  <td class="mono">
                    {letter.orderId ? <a href={href.order(letter.orderId)}>{letter.orderId}</a> : '—'}
                  </td>
                  <td>{letter.state}</td>
                  <td class="num">
                    {formatCount(letter.bodySize)}
                    {letter.bodyTruncated ? ' (cut)' : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && data.items.length === 0 && <p class="muted">No dead letters match.</p>}
      <Pager pages={pages} nextCursor={data?.nextCursor} />
    </section>
  );
}
