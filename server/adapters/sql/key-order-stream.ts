import type pg from 'pg';

export type Row = Record<string, unknown>;

/**
 * How to read a table in Recon's key order, page by page. `keyset`: the key column's own index gives that order, so
 * each page starts after the last key read (memory stays at one page, and no page costs more than its rows).
 * `cursor`: the order needs an expression (text holding numbers, a collation other than "C"), so one statement sorts
 * once and a cursor hands the result over page by page, in a read-only transaction of its own.
 */
export type KeyOrderRead =
  | { kind: 'keyset'; first: string; next: string; lastKey(row: Row): string }
  | { kind: 'cursor'; query: string };

/** `first` takes the page size as $1, `next` the page size as $1 and the last key read as $2; `query` takes none. */
export async function* readInKeyOrder(pool: pg.Pool, read: KeyOrderRead, pageSize: number): AsyncGenerator<Row[]> {
  if (read.kind === 'keyset') {
    let after: string | null = null;
    for (;;) {
      const { rows }: { rows: Row[] } =
        after === null ? await pool.query(read.first, [pageSize]) : await pool.query(read.next, [pageSize, after]);
      if (rows.length > 0) yield rows;
      if (rows.length < pageSize) return;
      after = read.lastKey(rows[rows.length - 1]!);
    }
  }
  const client = await pool.connect();
  let isOpen = false;
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    isOpen = true;
    await client.query(`DECLARE recon_key_order NO SCROLL CURSOR FOR ${read.query}`);
    for (;;) {
      const { rows } = await client.query<Row>(`FETCH ${Math.floor(pageSize)} FROM recon_key_order`);
      if (rows.length > 0) yield rows;
      if (rows.length < pageSize) return;
    }
  } finally {
    // Also when the reader stops early (the sweep failed on the other side): the transaction ends either way.
    if (isOpen) await client.query('COMMIT').catch(() => {});
    client.release();
  }
}
