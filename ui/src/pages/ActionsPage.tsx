import { api } from '../api/endpoints.ts';
import { ActionsTable } from '../components/ActionsTable.tsx';
import { ErrorText } from '../components/ErrorText.tsx';
import { Pager } from '../components/Pager.tsx';
import { useApi } from '../hooks/use-api.ts';
import { useCursorStack } from '../hooks/use-cursor-stack.ts';
import { href } from '../routing/routes.ts';
import { navigate } from '../routing/use-route.ts';

const STATUSES = ['pending', 'in-doubt', 'done', 'failed', 'superseded', 'needs-attention'];
const PAGE_SIZE = 50;

export function ActionsPage({ status }: { status: string }) {
  const pages = useCursorStack();
  const { data, error, isLoading } = useApi(
    (signal) => api.actions.list({ status, limit: PAGE_SIZE, before: pages.cursor }, signal),
    [status, pages.cursor],
  );

  return (
    <section>
      <h1>Actions</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status
          <select
            data-testid="filter-status"
            value={status}
            onChange={(e) => navigate(href.actions({ status: e.currentTarget.value }))}
          >
            <option value="">any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </form>
      <ErrorText error={error} />
      {isLoading && !data && <p data-testid="loading">Loading…</p>}
      {data && <ActionsTable actions={data.items} testId="actions-table" />}
      {data && data.items.length === 0 && <p class="muted">No actions.</p>}
      <Pager pages={pages} nextCursor={data?.nextBefore} />
    </section>
  );
}
