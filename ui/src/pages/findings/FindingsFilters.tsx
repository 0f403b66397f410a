import { useState } from 'preact/hooks';
import { FINDING_KINDS } from '../../../../reconcilers/types.ts';
import { href } from '../../routing/routes.ts';
import { navigate } from '../../routing/use-route.ts';

export interface FindingFilters {
  kind: string;
  state: string;
  q: string;
}

/** The filters live in the URL (`#/findings?kind=&state=&q=`), so a filtered list can be bookmarked and shared. */
export function FindingsFilters({ filters }: { filters: FindingFilters }) {
  const [q, setQ] = useState(filters.q);
  // Only the filters: `filters` may be the whole route object, whose other fields do not belong in the URL.
  const go = (next: Partial<FindingFilters>) =>
    navigate(href.findings({ kind: filters.kind, state: filters.state, q: filters.q, ...next }));

  return (
    <search>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          go({ q: q.trim() });
        }}
      >
        <label>
          Kind
          <select data-testid="filter-kind" value={filters.kind} onChange={(e) => go({ kind: e.currentTarget.value })}>
            <option value="">all kinds</option>
            {FINDING_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {kind}
              </option>
            ))}
          </select>
        </label>
        <label>
          State
          <select
            data-testid="filter-state"
            value={filters.state}
            onChange={(e) => go({ state: e.currentTarget.value })}
          >
            <option value="open">open</option>
            <option value="resolved">resolved</option>
            <option value="all">all</option>
          </select>
        </label>
        <label>
          Order id or message id
          <input
            type="search"
            data-testid="search"
            value={q}
            maxLength={200}
            placeholder="exact id"
            onInput={(e) => setQ(e.currentTarget.value)}
          />
        </label>
        <button type="submit" data-testid="search-submit">
          Search
        </button>
      </form>
    </search>
  );
}
