import type { PortStats } from './counting-ports.ts';
import { IN_MEMORY, SWEEP } from './full-scan.ts';
import { changedOrdersLabel } from './incremental.ts';
import type { Measured } from './measure.ts';
import type { ReportInput } from './report.ts';
import { exact, int, of, portRows, secs, table, time } from './report-values.ts';

/** Every cycle next to both full scans: time, rows at each level, and what the databases read. */
export function incrementalTable(r: ReportInput): string[] {
  const calls = (m: Measured) =>
    Object.values((m.result.details.portStats as PortStats | undefined) ?? {}).reduce((s, p) => s + p.calls, 0);
  const line = (label: string, runs: Measured[]) => {
    const report = runs[0]!.result.details.report as { rowsRead?: Record<'orders' | 'dispatches' | 'outbox', number> };
    const rr = report?.rowsRead;
    return [
      label,
      `${secs(time(runs))} s`,
      runs.map((m) => secs(m.result.seconds)).join(', '),
      rr ? `${int(rr.orders)} / ${int(rr.dispatches)} / ${int(rr.outbox)}` : '—',
      int(of(runs, portRows)),
      runs[0]!.result.details.portStats ? int(of(runs, calls)) : '—',
      int(of(runs, (m) => m.tuplesRead)),
      exact(runs),
    ];
  };
  const inc = r.incremental;
  return table(
    [
      'run',
      'time (median)',
      'runs',
      "rows in Recon's report (orders / dispatches / outbox)",
      'rows returned by the adapters',
      'adapter calls',
      'DB tuples read',
      'exact',
    ],
    'lrrrrrrl',
    [
      ...(inc.first ? [line(inc.first.label, [inc.first])] : []),
      line(inc.idle.label, [inc.idle]),
      ...Object.entries(inc.scenarios).map(([label, runs]) => line(label, runs)),
      line(`full scan: ${SWEEP}`, r.fullScan[SWEEP]!),
      line(`full scan: plain read of both sides (${IN_MEMORY})`, r.fullScan[IN_MEMORY]!),
    ],
  );
}

/** Per adapter method of the median sweep and the median cycle: where the wall time went. */
export function adapterTimeTable(r: ReportInput): string[] {
  const medianRun = (runs: Measured[]) =>
    [...runs].sort((a, b) => a.result.seconds - b.result.seconds)[Math.floor((runs.length - 1) / 2)]!;
  const cycleLabel = changedOrdersLabel(r.touched);
  const runs: Array<[string, Measured]> = [
    [SWEEP, medianRun(r.fullScan[SWEEP]!)],
    [cycleLabel, medianRun(r.incremental.scenarios[cycleLabel]!)],
  ];
  const rows = runs.flatMap(([label, m]) =>
    Object.entries({
      ...(m.result.details.portStats as PortStats | undefined),
      ...(m.result.details.storeStats as PortStats | undefined),
    }).map(([method, s]) => [label, `\`${method}\``, int(s.calls), int(s.rows), `${secs(s.ms / 1000)} s`]),
  );
  return table(['run', 'adapter method', 'calls', 'rows', 'time in calls'], 'llrrr', rows);
}
