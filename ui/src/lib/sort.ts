// Client-side sorting of the rows already loaded (one page): the server pages newest first, so a sort here never
// reorders across pages, and the column headers say so.

export type SortDirection = 'asc' | 'desc';
export interface SortState<K extends string> {
  key: K;
  direction: SortDirection;
}

type Sortable = string | number | boolean | null | undefined;

export function sortRows<T, K extends string>(
  rows: readonly T[],
  sort: SortState<K> | null,
  valueFor: (row: T, key: K) => Sortable,
): T[] {
  if (!sort) return [...rows];
  const sign = sort.direction === 'asc' ? 1 : -1;
  // Array.prototype.sort is stable: equal values keep the server's order.
  return [...rows].sort((a, b) => {
    const [va, vb] = [valueFor(a, sort.key), valueFor(b, sort.key)];
    // Missing values sort last in either direction: a "—" is never the most interesting row.
    const [aMissing, bMissing] = [va === null || va === undefined, vb === null || vb === undefined];
    if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? 1 : -1;
    return sign * compare(va, vb);
  });
}

function compare(a: Sortable, b: Sortable): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'en', { numeric: true });
}

/** Clicking a column: sort by it ascending, again to flip, a third time back to the server's order. */
export function nextSort<K extends string>(current: SortState<K> | null, key: K): SortState<K> | null {
  if (!current || current.key !== key) return { key, direction: 'asc' };
  return current.direction === 'asc' ? { key, direction: 'desc' } : null;
}
