import { describe, expect, it } from 'vitest';
import { nextSort, sortRows } from './sort.ts';

const rows = [
  { id: 'a', n: 2 as number | null },
  { id: 'b', n: null },
  { id: 'c', n: 10 },
];
const valueFor = (row: (typeof rows)[number]) => row.n;

describe('sortRows', () => {
  it('sorts numbers as numbers, not as text', () => {
    expect(sortRows(rows, { key: 'n', direction: 'asc' }, valueFor).map((r) => r.id)).toEqual(['a', 'c', 'b']);
  });

  it('puts missing values last in descending order too', () => {
    expect(sortRows(rows, { key: 'n', direction: 'desc' }, valueFor).map((r) => r.id)).toEqual(['c', 'a', 'b']);
  });

  it("keeps the server's order without a sort", () => {
    expect(sortRows(rows, null, valueFor)).toEqual(rows);
  });
});

describe('nextSort', () => {
  it('goes ascending, descending, then back to unsorted', () => {
    const first = nextSort(null, 'kind');
    const second = nextSort(first, 'kind');
    expect(first).toEqual({ key: 'kind', direction: 'asc' });
    expect(second).toEqual({ key: 'kind', direction: 'desc' });
    expect(nextSort(second, 'kind')).toBeNull();
  });
});
