import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../api/client.ts';
import { api } from '../api/endpoints.ts';
import { canAct, useSignedIn } from '../api/session-store.ts';
import { ErrorText } from '../components/ErrorText.tsx';
import { Pager } from '../components/Pager.tsx';
import { Time } from '../components/Time.tsx';
import { useApi } from '../hooks/use-api.ts';
import { useCursorStack } from '../hooks/use-cursor-stack.ts';
import { href } from '../routing/routes.ts';

/** Nothing will change any more: stop polling. `settling` is not final (the sweeper may still settle items). */
const FINAL_STATUSES = new Set(['completed', 'completed-with-failures', 'cancelled', 'interrupted']);
const POLL_MS = 1_000;
const ITEMS_PER_PAGE = 200;

export function BulkPage({ id }: { id: string }) {
  const session = useSignedIn();
  const items = useCursorStack();
  // The cursor stack keeps text; an item position is a number.
  const after = items.cursor === undefined ? undefined : Number(items.cursor);
  const {
    data: bulk,
    error,
    version,
    reload,
  } = useApi((signal) => api.bulk.get(id, { after, limit: ITEMS_PER_PAGE }, signal), [id, after]);
  const [cancelError, setCancelError] = useState<string | null>(null);
  const isFinal = bulk ? FINAL_STATUSES.has(bulk.status) : false;
  const hasBulk = bulk !== undefined;

  // Poll after each answer (never two requests in flight), until the status is final. A bulk never seen (404) is
  // not polled: it will not appear by waiting. `version` changes once per finished request.
  useEffect(() => {
    if (isFinal || !hasBulk) return;
    const timer = setTimeout(reload, POLL_MS);
    return () => clearTimeout(timer);
  }, [version, isFinal, hasBulk, reload]);

  async function cancel() {
    setCancelError(null);
    try {
      await api.bulk.cancel(id);
    } catch (err) {
      setCancelError(errorMessage(err));
    }
    reload();
  }

  if (!bulk) {
    return (
      <section>
        <h1>Bulk action</h1>
        {error ? <ErrorText error={error} /> : <p data-testid="loading">Loading…</p>}
      </section>
    );
  }

  const counts = Object.entries(bulk.counts).sort(([a], [b]) => a.localeCompare(b));
  const waiting = (bulk.counts.queued ?? 0) + (bulk.counts.pending ?? 0);
  const processed = bulk.total - waiting;
  const isRunning = bulk.status === 'running';

  return (
    <section>
      <p>
        <a href={href.actions()}>← Actions</a>
      </p>
      <h1>
        Bulk {bulk.action}{' '}
        <span class={`badge status-${bulk.status}`} data-testid="bulk-status" data-status={bulk.status}>
          {bulk.status}
        </span>
      </h1>
      <ErrorText error={error} />
      <p>
        By {bulk.actor} ({bulk.role}) at <Time iso={bulk.createdAt} />, {bulk.ratePerSecond}/s at most. Reason:{' '}
        {bulk.reason}
      </p>
      <div class="progress-row">
        <progress
          data-testid="bulk-progress"
          max={Math.max(1, bulk.total)}
          value={processed}
          aria-label="Items processed"
        />
        <span>
          {processed} of {bulk.total} processed
        </span>
        {isRunning && canAct(session) && (
          <button type="button" data-testid="bulk-cancel" onClick={cancel}>
            Cancel the rest
          </button>
        )}
      </div>
      <ErrorText error={cancelError} testId="bulk-cancel-error" />
      {/* An action done is not yet a customer helped: the finding resolves when the next cycles see the effect. */}
      <p data-testid="bulk-resolved" data-resolved={String(bulk.resolved)}>
        <strong>
          done {bulk.counts.done ?? 0}, of which {bulk.resolved} {bulk.resolved === 1 ? 'finding' : 'findings'} resolved
          so far
        </strong>{' '}
        <span class="muted">
          ({bulk.total} in the bulk; a finding resolves when the next cycles see its repair's effect)
        </span>
      </p>
      <ul class="counts" data-testid="bulk-counts">
        {counts.map(([outcome, count]) => (
          <li key={outcome} data-outcome={outcome}>
            {outcome}: {count}
          </li>
        ))}
      </ul>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col" class="num">
                #
              </th>
              <th scope="col">Finding</th>
              <th scope="col">Outcome</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {bulk.items.map((item) => (
              <tr key={item.position} data-testid="bulk-item" data-outcome={item.outcome}>
                <td class="num">{item.position + 1}</td>
                <td class="mono">
                  <a href={href.finding(item.findingId)}>{item.findingId}</a>
                </td>
                <td>{item.actionId ? <a href={href.action(item.actionId)}>{item.outcome}</a> : item.outcome}</td>
                <td class="wrap">{item.detail ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pager pages={items} nextCursor={bulk.nextAfter === null ? null : String(bulk.nextAfter)} noun="Items" />
    </section>
  );
}
