import { actionsOf, type Finding } from '../../reconcilers/registry.ts';
import type { Capability } from '../../reconcilers/repair.ts';
import type { FindingState, Severity, Verdict } from '../../reconcilers/vocabulary.ts';

/** A `findings` row as pg returns it. Its snake_case never leaves server/store: `toFinding` is the only way out. */
export interface FindingRow {
  id: string;
  kind: string;
  key: string;
  severity: Severity;
  verdict: Verdict;
  state: FindingState;
  first_seen_at: Date;
  last_seen_at: Date;
  resolved_at: Date | null;
  evidence: unknown;
  order_id: string | null;
  message_id: string | null;
}

export const FINDING_COLUMNS =
  'id, kind, key, severity, verdict, state, first_seen_at, last_seen_at, resolved_at, evidence, order_id, message_id';

/**
 * The row as its kind's finding. The evidence is what that kind's detect wrote (only the engines write findings),
 * so it has the kind's evidence type. Its actions are those the configuration offers; a row of a kind this version
 * no longer knows gets none rather than failing the whole listing.
 */
export const toFinding = (row: FindingRow, capabilities?: ReadonlySet<Capability>): Finding =>
  ({
    id: row.id,
    kind: row.kind,
    key: row.key,
    severity: row.severity,
    verdict: row.verdict,
    state: row.state,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    resolvedAt: row.resolved_at,
    evidence: row.evidence,
    subjects: { orderId: row.order_id, messageId: row.message_id },
    actions: actionsOf(row.kind, capabilities),
  }) as Finding;
