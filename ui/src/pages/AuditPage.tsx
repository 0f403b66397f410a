import { api } from '../api/endpoints.ts';
import { AuditTable } from '../components/AuditTable.tsx';
import { ErrorText } from '../components/ErrorText.tsx';
import { Pager } from '../components/Pager.tsx';
import { useApi } from '../hooks/use-api.ts';
import { useCursorStack } from '../hooks/use-cursor-stack.ts';

const PAGE_SIZE = 100;

/** The append-only audit log, newest first: who asked for what, why, and what came of it; and who changed which user. */
export function AuditPage() {
  const pages = useCursorStack();
  const { data, error, isLoading } = useApi(
    (signal) => api.audit.list({ limit: PAGE_SIZE, before: pages.cursor }, signal),
    [pages.cursor],
  );
  return (
    <section>
      <h1>Audit log</h1>
      <ErrorText error={error} />
      {isLoading && !data && <p data-testid="loading">Loading…</p>}
      {data && <AuditTable entries={data.items} testId="audit-table" />}
      {data && data.items.length === 0 && <p class="muted">Nothing audited yet.</p>}
      <Pager pages={pages} nextCursor={data?.nextBefore} />
    </section>
  );
}
