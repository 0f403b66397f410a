import type { SortState } from '../lib/sort.ts';

interface Props<K extends string> {
  column: K;
  label: string;
  sort: SortState<K> | null;
  onSort(column: K): void;
}

const SORT_HINT = 'Sorts the rows on this page only; pages come from the server newest first.';

export function SortableHeader<K extends string>({ column, label, sort, onSort }: Props<K>) {
  const direction = sort?.key === column ? sort.direction : null;
  return (
    <th scope="col" aria-sort={direction === 'asc' ? 'ascending' : direction === 'desc' ? 'descending' : 'none'}>
      <button
        type="button"
        class="sort"
        title={SORT_HINT}
        data-testid={`sort-${column}`}
        onClick={() => onSort(column)}
      >
        {label}
        <span aria-hidden="true">{direction === 'asc' ? ' ▲' : direction === 'desc' ? ' ▼' : ''}</span>
      </button>
    </th>
  );
}
