import type pg from 'pg';
import type { OrderHistoryInboxRecord } from '../../../reconcilers/ports/timeline.ts';
import { parseJsonKeepingIntegers } from '../../watched-system/json-path.ts';
import type { DatabaseSource, Inbox } from '../../watched-system/model.ts';
import { orNoneForForeignKey } from '../no-such-key.ts';
import { quoteIdent as q } from '../postgres.ts';
import { readColumns } from '../sql/catalog.ts';
import { keyColumn, timeColumn } from '../sql/columns.ts';
import type { Row } from '../sql/key-order-stream.ts';
import { onFirstUse } from '../sql/on-first-use.ts';
import { containsPattern, valueReader } from '../sql/values.ts';
import { toDate } from '../sql-time.ts';

/** An order's messages are a handful (its outbox rows, dispatches, dead letters, Recon's sends); more is a flood. */
const MAX_MESSAGE_IDS = 50;

/**
 * The consumer's inbox records of an order's messages, for the timeline: whether (and when) the consumer processed
 * each one. A message id column is compared in its own type (its index is used); one inside JSON (CAP) is found by a
 * prefilter per id and checked here. The time column is optional: a table without it lists no time (and the
 * timeline no event), never an error.
 */
export function createTimelineInbox(pool: pg.Pool, inbox: Inbox, database: DatabaseSource) {
  const messageId = valueReader('t', inbox.messageId);
  const filter = `(${inbox.filter ?? 'true'})`;
  const statement = onFirstUse(async () => {
    const columns = await readColumns(pool, inbox.table, 'flows[0].inbox.table', []);
    const at = inbox.processedAt === null ? undefined : columns.get(inbox.processedAt);
    const isTime = at?.family === 'timestamptz' || at?.family === 'timestamp';
    const processedAt =
      at && isTime ? timeColumn('t', at, database.timeZone, 'flows[0].inbox').epochMs : 'NULL::float8';
    const select = `SELECT to_jsonb(t)::text AS columns, ${messageId.select} AS message_id, ${processedAt} AS processed_at
      FROM ${q(inbox.table)} t WHERE ${filter}`;
    const source = inbox.messageId;
    if (!('column' in source)) return { text: `${select} AND ${messageId.ref}::text LIKE $1`, key: null };
    const idColumn = columns.get(source.column);
    if (!idColumn) throw new Error(`table ${inbox.table} has no column "${source.column}" (flows[0].inbox.messageId)`);
    const key = keyColumn('t', idColumn, 'text', 'flows[0].inbox.messageId');
    return { text: `${select} AND ${key.ref} = ANY(${key.anyParam('$1')})`, key };
  });

  return {
    async records(messageIds: readonly string[]): Promise<OrderHistoryInboxRecord[]> {
      const ids = [...new Set(messageIds)].slice(0, MAX_MESSAGE_IDS);
      if (ids.length === 0) return [];
      const sql = await statement();
      const rows: Row[] = [];
      if (sql.key) {
        const held = ids.filter((id) => sql.key?.canHold(id));
        if (held.length > 0) rows.push(...(await pool.query<Row>(sql.text, [held])).rows);
      } else {
        for (const id of ids)
          rows.push(
            ...(await orNoneForForeignKey(
              async () => (await pool.query<Row>(sql.text, [containsPattern(id)])).rows,
              [],
            )),
          );
      }
      const wanted = new Set(ids);
      return rows.flatMap((r) => {
        const id = messageId.keyOf(r.message_id);
        if (id === undefined || id === null || !wanted.has(id)) return [];
        return [
          {
            messageId: id,
            processedAt: toDate(r.processed_at),
            columns: parseJsonKeepingIntegers(r.columns as string) as Row,
          },
        ];
      });
    },
  };
}
