import type { FindingChange } from '../../reconcilers/ports/findings-store.ts';
import { findingId } from '../../reconcilers/vocabulary.ts';

/** The parameters of sql/write-findings.sql for one call, column by column. */
export function toWriteFindingsParams(changes: readonly FindingChange[], now: Date): unknown[] {
  const mismatches: unknown[] = [];
  const okIds: string[] = [];
  for (const change of changes) {
    const id = findingId(change.kind, change.key);
    if (change.verdict === 'ok') okIds.push(id);
    else
      mismatches.push({
        id,
        kind: change.kind,
        key: change.key,
        severity: change.severity,
        evidence: change.evidence,
        order_id: change.subjects.orderId,
        message_id: change.subjects.messageId,
      });
  }
  return [JSON.stringify(mismatches), okIds, now];
}
