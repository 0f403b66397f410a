import { useMemo, useState } from 'preact/hooks';
import { api } from '../api/endpoints.ts';
import type { AuditQuery } from '../api/types.ts';
import { ErrorText } from '../components/ErrorText.tsx';
import { Pager } from '../components/Pager.tsx';
import { useApi } from '../hooks/use-api.ts';
import { useCursorStack } from '../hooks/use-cursor-stack.ts';
import { toAuditGroups } from '../lib/audit-groups.ts';
import { AuditFilters, type AuditFilterValues, NO_FILTER } from './audit/AuditFilters.tsx';
import { AuditGroups } from './audit/AuditGroups.tsx';

const PAGE_SIZE = 200;

/** The append-only audit log, newest first: who asked for what, why, and what came of it; and who changed which user. */
export function AuditPage() {
  const pages = useCursorStack();
  const [filters, setFilters] = useState<AuditFilterValues>(NO_FILTER);
  // `from` is fixed when the filter is chosen, so paging does not slide the window under the operator.
  const [fromIso, setFromIso] = useState<string | undefined>(undefined);
  const query = toQuery(filters, fromIso);
  const key = JSON.stringify(query);
  const { data, error, isLoading } = useApi(
    (signal) => api.audit.list({ ...query, limit: PAGE_SIZE, before: pages.cursor }, signal),
    [key, pages.cursor],
  );
  const groups = useMemo(() => toAuditGroups(data?.items ?? []), [data]);

  function change(next: AuditFilterValues) {
    setFilters(next);
    setFromIso(next.sinceHours ? new Date(Date.now() - Number(next.sinceHours) * 3_600_000).toISOString() : undefined);
    pages.reset();
  }

  return (
    <section>
      <h1>Audit log</h1>
      <AuditFilters values={filters} onChange={change} csvHref={`/api/audit.csv${toSearch(query)}`} />
      <ErrorText error={error} />
      {isLoading && !data && <p data-testid="loading">Loading…</p>}
      {data && <AuditGroups groups={groups} />}
      {data && data.items.length === 0 && <p class="muted">Nothing audited matches.</p>}
      <Pager pages={pages} nextCursor={data?.nextBefore} />
    </section>
  );
}

function toQuery(filters: AuditFilterValues, fromIso: string | undefined): AuditQuery {
  return {
    ...(filters.actor ? { actor: filters.actor } : {}),
    ...(filters.action ? { action: filters.action } : {}),
    ...(filters.kind ? { kind: filters.kind } : {}),
    ...(fromIso ? { from: fromIso } : {}),
  };
}

const toSearch = (query: AuditQuery) => {
  const text = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString();
  return text ? `?${text}` : '';
};
