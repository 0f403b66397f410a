import { LAST_SEEN_REFRESH_MS } from '../../reconcilers/open-findings.ts';
import { findingId, type Judgement } from '../../reconcilers/types.ts';

/**
 * The parameters of sql/apply-judgements.sql for one call, column by column, or undefined when no judgement in it
 * changes anything. The last judgement of a finding wins, because one statement may change a row only once;
 * `unknown` changes nothing: a side that could not be read neither opens nor resolves.
 */
export function toApplyJudgementsParams(judgements: readonly Judgement[], now: Date): unknown[] | undefined {
  const latest = new Map<string, Judgement>();
  for (const j of judgements) latest.set(findingId(j.kind, j.key), j);
  const mismatches: Array<[string, Judgement]> = [];
  const okIds: string[] = [];
  for (const [id, j] of latest) {
    if (j.verdict === 'mismatch') mismatches.push([id, j]);
    else if (j.verdict === 'ok') okIds.push(id);
  }
  if (mismatches.length === 0 && okIds.length === 0) return undefined;
  return [
    JSON.stringify(
      mismatches.map(([id, j]) => ({ id, kind: j.kind, key: j.key, severity: j.severity, evidence: j.evidence ?? {} })),
    ),
    okIds,
    now,
    new Date(now.getTime() - LAST_SEEN_REFRESH_MS),
  ];
}
