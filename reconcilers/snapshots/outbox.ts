import type { OutboxRow } from '../ports/business-db.ts';

export interface OutboxSnapshot {
  /** Every unconfirmed outbox row old enough to judge; undefined when the orders database was not read. */
  unconfirmed: readonly OutboxRow[] | undefined;
  /** Message ids of the open stuck-outbox findings: one missing from `unconfirmed` was confirmed (or deleted). */
  openKeys: readonly string[];
}
