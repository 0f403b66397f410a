import type { Cursor } from '../ports/business-db.ts';
import type { BusinessSide, DatabaseEngineContext } from './judge-orders.ts';

export type PageReader<T> = (after: Cursor, until: Date, limit: number) => Promise<T[]>;

/**
 * Reads one side's rows changed in (watermark − overlap, until] in keyset pages ordered by (updatedAt, id), the
 * next page read while this one is judged. True when the side was read to the end; false when a read failed (the
 * failure is reported against the side, and the same span is read again next cycle). A failure of `onPage` is not
 * this side's read failing: it is thrown (its lookups report their own sources, and a store failure fails the cycle).
 */
export async function readChangedRows<T extends { position: string; id: string }>(
  ctx: DatabaseEngineContext,
  side: BusinessSide,
  watermark: Date | null,
  until: Date,
  page: PageReader<T>,
  onPage: (rows: T[]) => Promise<void>,
): Promise<boolean> {
  const fetch = (after: Cursor) => {
    const rows = page(after, until, ctx.pageSize);
    rows.catch(() => {}); // awaited below, after the page before it is judged: not an unhandled rejection meanwhile
    return rows;
  };
  let next = fetch({ after: new Date((watermark?.getTime() ?? 0) - ctx.overlapMs).toISOString(), id: null });
  for (;;) {
    let rows: T[];
    try {
      rows = await next;
    } catch (error) {
      ctx.health.failure(side, error as Error);
      return false;
    }
    const isLast = rows.length < ctx.pageSize;
    if (!isLast) next = fetch({ after: rows[rows.length - 1]!.position, id: rows[rows.length - 1]!.id });
    if (rows.length > 0) await onPage(rows);
    if (isLast) return true;
  }
}
