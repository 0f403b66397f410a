import { FINDING_KINDS } from '../../../../reconcilers/registry.ts';
import { SearchFilters } from '../../components/SearchFilters.tsx';
import { href } from '../../routing/routes.ts';
import { navigate } from '../../routing/use-route.ts';

export interface FindingFilters {
  kind: string;
  state: string;
  q: string;
}

/** The filters live in the URL (`#/findings?kind=&state=&q=`), so a filtered list can be bookmarked and shared. */
export function FindingsFilters({ filters }: { filters: FindingFilters }) {
  // Only the filters: `filters` may be the whole route object, whose other fields do not belong in the URL.
  const go = (next: Partial<FindingFilters>) =>
    navigate(href.findings({ kind: filters.kind, state: filters.state, q: filters.q, ...next }));

  return (
    <SearchFilters
      q={filters.q}
      onSearch={(q) => go({ q })}
      searchLabel="Order id or message id"
      placeholder="exact id"
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
        <select data-testid="filter-state" value={filters.state} onChange={(e) => go({ state: e.currentTarget.value })}>
          <option value="open">open</option>
          <option value="resolved">resolved</option>
          <option value="all">all</option>
        </select>
      </label>
    </SearchFilters>
  );
}
