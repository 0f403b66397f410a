import type { DispatchRow } from '../ports/business-db.ts';

/** Dispatch order references that cannot be order ids, each with every dispatch that holds it. */
export interface OrderReferencesSnapshot {
  /** Undefined when the dispatch database could not be read. */
  references: ReadonlyArray<{ reference: string; problem: string; dispatches: readonly DispatchRow[] }> | undefined;
  /** The references looked up (open findings re-checked, malformed ones just seen): one with no dispatch left is fine. */
  lookedUp: readonly string[];
}
