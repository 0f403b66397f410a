import type pg from 'pg';
import type { OutboxRecord } from '../../../reconcilers/ports/repair.ts';
import { parseJsonPath } from '../../watched-system/json-path.ts';
import type { DatabaseSource, Outbox } from '../../watched-system/model.ts';
import { orNoneForForeignKey } from '../no-such-key.ts';
import { quoteIdent as q } from '../postgres.ts';
import { readColumns } from '../sql/catalog.ts';
import { textArray, timeColumn } from '../sql/columns.ts';
import { onFirstUse } from '../sql/on-first-use.ts';
import { containsPattern, valueReader } from '../sql/values.ts';

const KEY = 'flows[0].outbox';

/**
 * The outbox as republish and redeliver need it: one row by message id (is it still unpublished, what would be
 * sent), the latest message of an order, and marking a row published exactly as its library does (the configured
 * columns and values; nothing when the library's way is not known, and then republish is not offered).
 */
export function createOutboxRepairDb(pool: pg.Pool, outbox: Outbox, database: DatabaseSource) {
  const messageId = valueReader('t', outbox.messageId);
  const orderId = valueReader('t', outbox.orderId);
  const payload = outbox.payload && valueReader('t', outbox.payload);
  const headers = outbox.headers && valueReader('t', outbox.headers);
  const { pending } = outbox;
  const statements = onFirstUse(async () => {
    const marked = outbox.markPublished ?? [];
    const columns = await readColumns(pool, outbox.table, `${KEY}.table`, [
      ...marked.map(({ column }) => ({ column, configKey: `${KEY}.markPublished` })),
      ...(outbox.createdAt ? [{ column: outbox.createdAt, configKey: `${KEY}.createdAt` }] : []),
    ]);
    const isPending =
      pending.kind === 'column-null'
        ? `t.${q(pending.column)} IS NULL`
        : pending.kind === 'status-not-in'
          ? `t.${q(pending.column)}::text <> ALL(${textArray(pending.done.map(String))})`
          : 'true';
    const filter = `(${outbox.filter ?? 'true'})`;
    const byMessageId = messageId.isJson ? `${messageId.ref}::text LIKE $1` : `${messageId.ref} = $1`;
    // Literal values follow the row's identity ($1) as parameters, in order.
    const literals: string[] = [];
    const setClause = marked
      .map(({ column, value }) => {
        if ('literal' in value) {
          literals.push(String(value.literal));
          return `${q(column)} = $${literals.length + 1}`;
        }
        const now = timeColumn('t', columns.get(column)!, database.timeZone, `${KEY}.markPublished`).now;
        return `${q(column)} = ${value.onlyIfNull ? `coalesce(t.${q(column)}, ${now})` : now}`;
      })
      .join(', ');
    return {
      literals,
      get: `SELECT t.ctid::text AS row, ${messageId.select} AS message_id, ${orderId.select} AS order_id,
        ${isPending} AS is_pending, ${payload ? payload.select : 'NULL::text'} AS payload,
        ${headers ? headers.select : 'NULL::text'} AS headers
        FROM ${q(outbox.table)} t WHERE ${filter} AND ${byMessageId}`,
      // Newest first, a few rows: only once the condition finds the order's own rows and not every row that
      // holds its digits somewhere (a total, a time), which would crowd them out of the limit.
      latest: `SELECT ${messageId.select} AS message_id, ${orderId.select} AS order_id FROM ${q(outbox.table)} t
        WHERE ${filter} AND ${
          !orderId.isJson
            ? `${orderId.ref} = $1`
            : `${orderId.ref}::text LIKE $1${orderIdMember ? ` AND ${orderId.ref}::text ~ $2` : ''}`
        }
        ORDER BY ${outbox.createdAt ? `t.${q(outbox.createdAt)} DESC` : '1'}
        ${!orderId.isJson || orderIdMember ? 'LIMIT 50' : ''}`,
      // By the row's identity: a message id inside JSON is found by a prefilter, which must never widen a write.
      mark: setClause ? `UPDATE ${q(outbox.table)} t SET ${setClause} WHERE ${isPending} AND t.ctid = $1::tid` : null,
    };
  });
  const lookupParam = (reader: typeof messageId, key: string) => (reader.isJson ? containsPattern(key) : key);
  const orderIdStep = 'json' in outbox.orderId ? parseJsonPath(outbox.orderId.path).at(-1) : undefined;
  const orderIdMember = orderIdStep && 'key' in orderIdStep ? orderIdStep.key : null;

  return {
    getOutbox: (id: string) =>
      orNoneForForeignKey(async (): Promise<OutboxRecord | null> => {
        const sql = await statements();
        const { rows } = await pool.query(sql.get, [lookupParam(messageId, id)]);
        const row = rows.find((r) => messageId.keyOf(r.message_id) === id);
        if (!row) return null;
        // As stored: a 19-digit id stays the JSON number the library wrote (parsed and written again, it would not).
        const text = payload?.textOf(row.payload);
        const body = text === undefined || (payload?.isJson && text === 'null') ? null : Buffer.from(text);
        return {
          messageId: id,
          orderId: orderId.keyOf(row.order_id),
          isPublished: !row.is_pending,
          body,
          headers: toHeaders(headers?.valueOf(row.headers)),
        };
      }, null),
    latestMessageIdFor: (order: string) =>
      orNoneForForeignKey(async () => {
        const sql = await statements();
        const params = [lookupParam(orderId, order), ...(orderIdMember ? [memberPattern(orderIdMember, order)] : [])];
        const { rows } = await pool.query(sql.latest, params);
        const row = rows.find((r) => orderId.keyOf(r.order_id) === order);
        return row ? messageId.keyOf(row.message_id) : null;
      }, null),
    markPublished: (id: string) =>
      orNoneForForeignKey(async () => {
        const sql = await statements();
        if (!sql.mark) return false;
        const { rows } = await pool.query(sql.get, [lookupParam(messageId, id)]);
        const row = rows.find((r) => messageId.keyOf(r.message_id) === id && r.is_pending);
        if (!row) return false;
        const { rowCount } = await pool.query(sql.mark, [row.row, ...sql.literals]);
        return rowCount === 1;
      }, false),
  };
}

/**
 * A regular expression that finds the JSON member `"key": value` in JSON text (the value a number or a string, not
 * followed by another digit): a prefilter with no false negatives for the encodings JSON writers use, checked in
 * JavaScript after it.
 */
function memberPattern(key: string, value: string): string {
  const literal = (text: string) =>
    JSON.stringify(text)
      .slice(1, -1)
      .replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
  return `"${literal(key)}"\\s*:\\s*"?${literal(value)}([^0-9]|$)`;
}

/** The headers a row keeps, as AMQP can carry them: text, numbers and booleans; a null or nested value is left out. */
function toHeaders(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v)),
  );
}
