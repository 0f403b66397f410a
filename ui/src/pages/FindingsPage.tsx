import { useState } from 'preact/hooks';
import { api } from '../api/endpoints.ts';
import { canAct, useSignedIn } from '../api/session-store.ts';
import type { Finding } from '../api/types.ts';
import { ErrorText } from '../components/ErrorText.tsx';
import { Pager } from '../components/Pager.tsx';
import { useApi } from '../hooks/use-api.ts';
import { useCursorStack } from '../hooks/use-cursor-stack.ts';
import { BulkDialog } from './findings/BulkDialog.tsx';
import { type FindingFilters, FindingsFilters } from './findings/FindingsFilters.tsx';
import { FindingsTable } from './findings/FindingsTable.tsx';

const PAGE_SIZE = 50;

/** Remounted (keyed) on every filter change: the cursor stack and the selection belong to one filter. */
export function FindingsPage({ filters }: { filters: FindingFilters }) {
  const session = useSignedIn();
  const allowActions = canAct(session);
  const pages = useCursorStack();
  const { kind, state, q } = filters;
  const { data, error, isLoading } = useApi(
    (signal) => api.findings.list({ kind, state, q, limit: PAGE_SIZE, cursor: pages.cursor }, signal),
    [kind, state, q, pages.cursor],
  );
  // Selected findings across pages, with their allowed actions (the bulk dialog offers what they have in common).
  const [selected, setSelected] = useState<ReadonlyMap<string, Finding>>(new Map());
  const [isBulkOpen, setIsBulkOpen] = useState(false);

  const toggle = (rows: Finding[], isOn: boolean) =>
    setSelected((current) => {
      const next = new Map(current);
      for (const row of rows) {
        if (isOn) next.set(row.id, row);
        else next.delete(row.id);
      }
      return next;
    });

  return (
    <section>
      <div class="page-head">
        <h1>Findings</h1>
        {allowActions && (
          <div class="bulk-bar">
            <span data-testid="selection-count">{selected.size} selected</span>
            <button type="button" data-testid="bulk-action" onClick={() => setIsBulkOpen(true)}>
              Bulk action…
            </button>
          </div>
        )}
      </div>
      <FindingsFilters filters={filters} />
      <ErrorText error={error} />
      {data && (
        <FindingsTable
          rows={data.items}
          selectedIds={allowActions ? new Set(selected.keys()) : null}
          onToggle={toggle}
        />
      )}
      {isLoading && !data && <p data-testid="loading">Loading…</p>}
      {data && data.items.length === 0 && <p class="muted">No findings match.</p>}
      <Pager pages={pages} nextCursor={data?.nextCursor} />
      {isBulkOpen && (
        <BulkDialog
          selected={[...selected.values()]}
          filter={{ kind: filters.kind, q: filters.q }}
          onClose={() => setIsBulkOpen(false)}
        />
      )}
    </section>
  );
}
