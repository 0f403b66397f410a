import type { OutboxRow } from '../ports/business-db.ts';

export interface OutboxSnapshot {
  /** Every outbox row not yet published; undefined when the orders database was not read. */
  unpublished: readonly OutboxRow[] | undefined;
  /** Message ids of the open stuck-outbox findings: one missing from `unpublished` was confirmed (or deleted). */
  openKeys: readonly string[];
}
