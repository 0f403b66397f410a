import type pg from 'pg';
import type { OutboxPort, OutboxRow } from '../../../reconcilers/ports/business-db.ts';
import type { DatabaseSource, Outbox, PendingRule } from '../../watched-system/model.ts';
import { quoteIdent as q } from '../postgres.ts';
import { type ColumnNeed, readColumns } from '../sql/catalog.ts';
import { textArray, timeColumn } from '../sql/columns.ts';
import type { Row } from '../sql/key-order-stream.ts';
import { onFirstUse } from '../sql/on-first-use.ts';
import { containsPattern, valueReader } from '../sql/values.ts';
import { toDate } from '../sql-time.ts';

const KEY = 'flows[0].outbox';

/**
 * The outbox through its library's own rule of "not yet published" (a null confirmation time, a status, a row that
 * still exists), restricted to this flow's rows by the configured filter. Message and order ids may live in JSON
 * (CAP's `Content`, Spring Modulith's `serialized_event`): they are read here, never cast in SQL, so one row that is
 * not JSON cannot fail the statement. Null for an outbox whose rows cannot be looked at (Debezium's).
 */
export function createOutboxDb(pool: pg.Pool, outbox: Outbox, database: DatabaseSource): OutboxPort | null {
  const { pending } = outbox;
  if (pending.kind === 'replication-slot' || outbox.createdAt === null) return null;
  const createdAtColumn = outbox.createdAt;
  const messageId = valueReader('t', outbox.messageId);
  const orderId = valueReader('t', outbox.orderId);
  const optional = (name: string | null) => (name ? `t.${q(name)}::text` : 'NULL::text');

  const statements = onFirstUse(async () => {
    const columns = await readColumns(pool, outbox.table, `${KEY}.table`, needs(outbox));
    const created = timeColumn('t', columns.get(createdAtColumn)!, database.timeZone, `${KEY}.createdAt`);
    const publishedAt = outbox.publishedAt
      ? timeColumn('t', columns.get(outbox.publishedAt)!, database.timeZone, `${KEY}.publishedAt`).epochMs
      : 'NULL::float8';
    const { failed } = outbox;
    // Failed for good: a failed status, and when the library retries failed rows, its last attempt made.
    const lastAttempt = failed?.minAttempts
      ? ` AND t.${q(failed.minAttempts.attemptsColumn)} >= ${failed.minAttempts.count}`
      : '';
    const { delayed } = outbox;
    const delayedUntil = delayed
      ? `CASE WHEN ${delayed.status ? statusIn(delayed.status) : 'true'} THEN ${
          timeColumn('t', columns.get(delayed.column)!, database.timeZone, `${KEY}.delayedUntil`).epochMs
        } END`
      : 'NULL::float8';
    const hasFailed = failed ? `coalesce(${statusIn(failed)}${lastAttempt}, false)` : 'false';
    const where = `(${pendingCondition(pending)}) AND (${outbox.filter ?? 'true'})`;
    const select = `${messageId.select} AS message_id, ${orderId.select} AS order_id,
      ${optional(outbox.eventType)} AS event_type, ${created.epochMs} AS created_at, ${publishedAt} AS published_at,
      ${delayedUntil} AS delayed_until,
      ${outbox.attempts ? `t.${q(outbox.attempts)}::int` : 'NULL::int'} AS attempts,
      ${optional(outbox.lastError)} AS last_error, ${hasFailed} AS has_failed`;
    return {
      list: `SELECT ${select} FROM ${q(outbox.table)} t WHERE ${where} AND ${created.ref} <= ${created.fromInstant('$1')}
        ORDER BY ${created.ref} LIMIT $2`,
      // By message id: compared in the column's own type, or found by a prefilter in JSON and checked here.
      byMessageIds: messageId.isJson
        ? `SELECT ${select} FROM ${q(outbox.table)} t WHERE ${where} AND ${messageId.ref}::text LIKE ANY($1::text[])`
        : `SELECT ${select} FROM ${q(outbox.table)} t WHERE ${where} AND ${messageId.ref} = ANY($1)`,
    };
  });

  const toRows = (rows: Row[]): OutboxRow[] =>
    rows.flatMap((r) => {
      const id = messageId.keyOf(r.message_id);
      if (id === null) return []; // a row without its message id names nothing Recon could look up or republish
      return [
        {
          messageId: id,
          orderId: orderId.keyOf(r.order_id),
          eventType: r.event_type as string | null,
          createdAt: toDate(r.created_at),
          delayedUntil: r.delayed_until === null ? null : toDate(r.delayed_until),
          publishedAt: toDate(r.published_at),
          attempts: r.attempts as number | null,
          lastError: r.last_error as string | null,
          hasFailed: r.has_failed as boolean,
        },
      ];
    });

  return {
    async listUnpublished(createdBefore, limit) {
      const { rows } = await pool.query((await statements()).list, [createdBefore, limit]);
      return toRows(rows);
    },
    async findUnpublished(messageIds) {
      if (messageIds.length === 0) return [];
      const params = messageId.isJson ? messageIds.map(containsPattern) : [...messageIds];
      const { rows } = await pool.query((await statements()).byMessageIds, [params]);
      const wanted = new Set(messageIds);
      return toRows(rows).filter((row) => wanted.has(row.messageId));
    },
  };
}

function pendingCondition(pending: Exclude<PendingRule, { kind: 'replication-slot' }>): string {
  switch (pending.kind) {
    case 'column-null':
      return `t.${q(pending.column)} IS NULL`;
    case 'status-not-in':
      return `t.${q(pending.column)}::text <> ALL(${textArray(pending.done.map(String))})`;
    case 'row-exists':
      return 'true';
  }
}

/** The row's status is one of these (compared as text, whatever the column's type). */
const statusIn = ({ column, values }: { column: string; values: Array<string | number> }) =>
  `t.${q(column)}::text = ANY(${textArray(values.map(String))})`;

function needs(outbox: Outbox): ColumnNeed[] {
  const column = (name: string | null, key: string) => (name ? [{ column: name, configKey: `${KEY}.${key}` }] : []);
  const source = (value: Outbox['messageId'] | null, key: string) =>
    value === null ? [] : 'column' in value ? column(value.column, key) : column(value.json, key);
  const pending = outbox.pending;
  return [
    ...source(outbox.messageId, 'messageId'),
    ...source(outbox.orderId, 'orderId'),
    ...column(outbox.createdAt, 'createdAt'),
    ...column(outbox.eventType, 'eventType'),
    ...column(outbox.publishedAt, 'publishedAt'),
    ...column(outbox.attempts, 'attempts'),
    ...column(outbox.lastError, 'lastError'),
    ...column(outbox.failed?.column ?? null, 'failed'),
    ...column(outbox.delayed?.column ?? null, 'delayedUntil'),
    ...('column' in pending ? column(pending.column, 'pending') : []),
  ];
}
