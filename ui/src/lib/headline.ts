import { kindNamed } from '../../../reconcilers/registry.ts';
import type { KindSummary } from '../api/types.ts';

export interface Headline {
  /** `critical` when a critical kind is open; `unknown` when nothing is open but the numbers may be old. */
  level: 'critical' | 'warning' | 'clear' | 'unknown';
  text: string;
}

/**
 * The overview's one line for someone woken at 3 a.m.: which severities are open and whether they are growing.
 * "All clear" only on current data: no findings on stale data means nothing, it is not good news.
 */
export function toHeadline(findings: readonly KindSummary[], { isDataCurrent }: { isDataCurrent: boolean }): Headline {
  const open = findings.filter((f) => f.open > 0);
  const critical = open.filter((f) => severityOf(f) === 'critical');
  const others = open.filter((f) => severityOf(f) !== 'critical');
  const parts = [
    ...(critical.length ? [part(critical, 'critical')] : []),
    ...(others.length ? [part(others, 'warning')] : []),
  ];
  if (parts.length > 0) return { level: critical.length ? 'critical' : 'warning', text: parts.join(' · ') };
  return isDataCurrent
    ? { level: 'clear', text: 'All clear' }
    : { level: 'unknown', text: 'No findings open, but some numbers are not current (see below)' };
}

const severityOf = (f: KindSummary) => kindNamed(f.kind)?.severity ?? 'warning';

function part(kinds: readonly KindSummary[], severity: string): string {
  const change = kinds.reduce((sum, f) => sum + f.changeLast15Min, 0);
  const noun = kinds.length === 1 ? 'kind' : 'kinds';
  return `${kinds.length} ${severity} ${noun} open, ${formatChange(change)} in 15 min`;
}

/** "+40", "−4" (a real minus sign), "no change". */
export function formatChange(change: number): string {
  if (change === 0) return 'no change';
  return change > 0 ? `+${change.toLocaleString('en-US')}` : `−${(-change).toLocaleString('en-US')}`;
}
