import type { CursorStack } from '../hooks/use-cursor-stack.ts';

interface Props {
  pages: CursorStack;
  /** The server's cursor for the page after this one: null on the last page, undefined while it loads. */
  nextCursor: string | null | undefined;
  /** What the number counts: "Page 2", "Items 2". */
  noun?: string;
}

/** Previous and Next over keyset pages: Next pushes the server's cursor, Previous pops back to the one before. */
export function Pager({ pages, nextCursor, noun = 'Page' }: Props) {
  return (
    <nav class="pager" aria-label="Pages">
      <button type="button" data-testid="prev-page" disabled={!pages.hasPrevious} onClick={pages.previous}>
        ← Previous
      </button>
      <span>{`${noun} ${pages.pageNumber}`}</span>
      <button
        type="button"
        data-testid="next-page"
        disabled={!nextCursor}
        onClick={() => nextCursor && pages.next(nextCursor)}
      >
        Next →
      </button>
    </nav>
  );
}
