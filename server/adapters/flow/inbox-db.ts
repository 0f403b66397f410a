import type pg from 'pg';
import type { Inbox } from '../../watched-system/model.ts';
import { orNoneForForeignKey } from '../no-such-key.ts';
import { quoteIdent as q } from '../postgres.ts';
import { containsPattern, valueReader } from '../sql/values.ts';

/**
 * The consumer's record of processed messages (a table of ids, CAP's `received`, MassTransit's `InboxState`): how
 * the sweeper tells that a message it sent took effect. A message id inside JSON is found by a prefilter and
 * checked here; one the id column's type cannot hold was never processed.
 */
export function createInboxDb(pool: pg.Pool, inbox: Inbox) {
  const messageId = valueReader('t', inbox.messageId);
  const filter = `(${inbox.filter ?? 'true'})`;
  const sql = messageId.isJson
    ? `SELECT ${messageId.select} AS message_id FROM ${q(inbox.table)} t WHERE ${filter} AND ${messageId.ref}::text LIKE $1`
    : `SELECT ${messageId.select} AS message_id FROM ${q(inbox.table)} t WHERE ${filter} AND ${messageId.ref} = $1 LIMIT 1`;
  return {
    isProcessed: (id: string) =>
      orNoneForForeignKey(async () => {
        const { rows } = await pool.query(sql, [messageId.isJson ? containsPattern(id) : id]);
        return rows.some((r) => messageId.keyOf(r.message_id) === id);
      }, false),
  };
}
