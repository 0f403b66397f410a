import type { Finding, FindingKind, FindingState, Severity, Verdict } from '../../reconcilers/types.ts';
import { actionsFor } from './finding-actions.ts';

/** A `findings` row as pg returns it. Its snake_case never leaves server/store: `toFinding` is the only way out. */
export interface FindingRow {
  id: string;
  kind: FindingKind;
  key: string;
  severity: Severity;
  verdict: Verdict;
  state: FindingState;
  first_seen_at: Date;
  last_seen_at: Date;
  resolved_at: Date | null;
  evidence: Record<string, unknown>;
}

export const FINDING_COLUMNS =
  'id, kind, key, severity, verdict, state, first_seen_at, last_seen_at, resolved_at, evidence';

export const toFinding = (row: FindingRow): Finding => ({
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
  actions: actionsFor(row.kind),
});
