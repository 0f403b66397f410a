import { useState } from 'preact/hooks';

/**
 * Keyset paging with a way back: the server gives only a `nextCursor`, so the cursors that led to each page are
 * kept on a stack and Previous pops one. The first page has no cursor.
 */
export function useCursorStack() {
  const [stack, setStack] = useState<string[]>([]);
  return {
    cursor: stack.at(-1),
    pageNumber: stack.length + 1,
    hasPrevious: stack.length > 0,
    next: (cursor: string) => setStack((s) => [...s, cursor]),
    previous: () => setStack((s) => s.slice(0, -1)),
    /** Back to the first page: a new filter's pages are not the old one's. */
    reset: () => setStack([]),
  };
}

export type CursorStack = ReturnType<typeof useCursorStack>;
