import type { PlanSummary } from './explain.ts';
import { type FullScanResults, IN_MEMORY, PER_ROW, PER_ROW_FULL, SWEEP } from './full-scan.ts';
import { changedOrdersLabel, coldChangedOrdersLabel, type IncrementalResults, recheckLabel } from './incremental.ts';
import type { Measured } from './measure.ts';
import { adapterTimeTable, incrementalTable } from './report-incremental.ts';
import { exact, growth, int, mb, of, portRows, ratio, secs, table, time, verdict } from './report-values.ts';

/** The dataset size the acceptance criterion names. */
const CRITERION_ORDERS = 1_000_000;

export interface ReportInput {
  orders: number;
  dispatches: number;
  missing: number;
  orphans: number;
  command: string;
  machine: string;
  /** The commit of Recon's code the run measured (see code-version.ts). */
  code: string;
  seedSeconds: number | null;
  rounds: number;
  sampleSize: number;
  touched: number;
  plans: PlanSummary[];
  fullScan: FullScanResults;
  incremental: IncrementalResults;
}

/** The results section of BENCHMARKS.md for one dataset size. */
export function toMarkdown(r: ReportInput): string {
  return [
    ...setup(r),
    '#### Full scan: Recon vs the baselines',
    '',
    ...fullScan(r),
    r.orders === CRITERION_ORDERS
      ? '#### Targets'
      : `#### Targets (for context: the criterion is stated at ${int(CRITERION_ORDERS)} orders)`,
    '',
    ...targets(r),
    '#### Incremental cycle vs full scan',
    '',
    ...incrementalTable(r),
    "#### Where the time goes (calls to the adapters and to Recon's store, median run)",
    '',
    ...adapterTimeTable(r),
    "#### Query plans of the adapters' statements (EXPLAIN ANALYZE, real parameters)",
    '',
    ...r.plans.flatMap((p) => [
      `- ${p.statement}: ${p.executionMs.toFixed(1)} ms`,
      '  ```',
      ...p.plan.map((l) => `  ${l}`),
      '  ```',
    ]),
  ].join('\n');
}

function setup(r: ReportInput): string[] {
  const seeded = r.seedSeconds === null ? ' (seeded by an earlier run)' : `; seeded in ${secs(r.seedSeconds)} s`;
  return [
    `### ${int(r.orders)} orders vs ${int(r.dispatches)} dispatches`,
    '',
    `- Command: \`${r.command}\``,
    `- Code measured: ${r.code}`,
    `- Machine: ${r.machine}`,
    `- Dataset: ${int(r.orders)} orders, ${int(r.dispatches)} dispatches in two databases; ${int(r.missing)} orders ` +
      `without dispatch (0.1%), ${int(r.orphans)} dispatches without order (0.01%); every row older than the grace ` +
      `period${seeded}.`,
    `- Each contestant ran ${r.rounds} times in a fresh child process, order reversed every other round; times are ` +
      "medians of the work itself (process start excluded); peak RSS is the child's getrusage maxrss.",
    '',
  ];
}

function fullScan(r: ReportInput): string[] {
  const perRow = r.fullScan[PER_ROW]!;
  const sampleRate = (perRow[0]?.result.details.sampleRate as number | undefined) ?? 1;
  const rows = Object.entries(r.fullScan).map(([label, runs]) => [
    label === PER_ROW && sampleRate < 1 ? `${label} †` : label,
    `${secs(time(runs))} s`,
    runs.map((m) => secs(m.result.seconds)).join(', '),
    int(of(runs, (m) => m.result.rowsCompared) / time(runs)),
    mb(of(runs, (m) => m.result.peakRssBytes)),
    mb(of(runs, (m) => m.result.startRssBytes)),
    int(of(runs, (m) => m.tuplesRead)),
    exact(runs),
  ]);
  const lines = table(
    ['contestant', 'time (median)', 'runs', 'rows/s', 'peak RSS', 'RSS before work', 'DB tuples read', 'exact'],
    'lrrrrrrl',
    rows,
  );
  if (sampleRate < 1) {
    const measured = perRow.map((m) => secs(m.result.details.measuredSeconds as number)).join(', ');
    lines.push(
      `† Looked up a uniform random sample of ${(sampleRate * 100).toFixed(1)}% of the rows (≈${int(r.sampleSize)} ` +
        `orders and ≈${int(r.sampleSize)} dispatches, one query each) while streaming every row; the lookup time is ` +
        `scaled linearly to all rows (the sampled runs took ${measured} s). "exact" is checked on the sampled ids.`,
      '',
    );
  }
  const perRowFull = r.fullScan[PER_ROW_FULL];
  if (perRowFull && sampleRate < 1) {
    const [predicted, actual] = [time(perRow), time(perRowFull)];
    lines.push(
      `Extrapolation check: the sampled per-row run predicted ${secs(predicted)} s; the per-row run over every row took ` +
        `${secs(actual)} s (prediction / actual = ${(predicted / actual).toFixed(2)}).`,
      '',
    );
  }
  return lines;
}

function targets(r: ReportInput): string[] {
  const [sweep, perRow, inMemory] = [r.fullScan[SWEEP]!, r.fullScan[PER_ROW]!, r.fullScan[IN_MEMORY]!];
  const cycle = r.incremental.scenarios[changedOrdersLabel(r.touched)]!;
  const cheaperFull = (pick: (m: Measured) => number) => Math.min(of(sweep, pick), of(inMemory, pick));
  const cheaperBy = (pick: (m: Measured) => number) => cheaperFull(pick) / Math.max(1, of(cycle, pick));
  const seconds = (m: Measured) => m.result.seconds;
  const speedup = time(perRow) / time(sweep);
  const memory = of(sweep, (m) => m.result.peakRssBytes) / of(inMemory, (m) => m.result.peakRssBytes);
  const rowsRatio = cheaperBy(portRows);
  const timeRatio = cheaperFull(seconds) / time(cycle);
  const coldTimeRatio = cheaperFull(seconds) / time(r.incremental.scenarios[coldChangedOrdersLabel(r.touched)]!);
  const recheckTimeRatio = cheaperFull(seconds) / time(r.incremental.scenarios[recheckLabel(r.touched)]!);
  const tuplesRatio = cheaperBy((m) => m.tuplesRead);
  const isAllExact = Object.values(r.fullScan).every((runs) => exact(runs) === 'yes');
  const n = int(r.touched);
  return [
    ...table(['criterion', 'target', 'measured', 'result'], 'lrrl', [
      ['full sweep vs per-row baseline: time', '≥ 5x faster', ratio(speedup), verdict(speedup >= 5)],
      ['full sweep vs in-memory baseline: peak RSS', '≤ 0.3x', ratio(memory), verdict(memory <= 0.3)],
      [
        '(context) the same, growth above the RSS before work only',
        '—',
        ratio(of(sweep, growth) / of(inMemory, growth)),
        '—',
      ],
      [
        `incremental (${n} orders changed) vs full scan: rows read by Recon`,
        '≥ 100x fewer',
        ratio(rowsRatio),
        verdict(rowsRatio >= 100),
      ],
      [
        `incremental (${n} orders changed) vs full scan: time`,
        '≥ 100x less',
        ratio(timeRatio),
        verdict(timeRatio >= 100),
      ],
      ['(context) the same, the first cycle of a fresh process', '—', ratio(coldTimeRatio), '—'],
      ['(context) the same, a cycle whose re-check of open findings is due', '—', ratio(recheckTimeRatio), '—'],
      [
        `incremental (${n} orders changed) vs full scan: tuples the databases read`,
        '≥ 100x fewer',
        ratio(tuplesRatio),
        verdict(tuplesRatio >= 100),
      ],
      ['every full-scan contestant exact', 'yes', isAllExact ? 'yes' : 'no', verdict(isAllExact)],
    ]),
    'The incremental cycle judged is the one a running Recon runs: its process has run cycles before, and the rows ' +
      'change after it started (see "How it measures"). A cycle re-checks the open findings no changed row brought ' +
      'once every RECON_RECHECK_INTERVAL_SECONDS (60 s: one cycle in twelve at the default 5 s poll); that cycle is ' +
      'reported apart. ' +
      "It is compared with the cheaper full scan on each measure (Recon's full sweep, or the plain " +
      'read of both sides that the in-memory baseline does). "Rows read by Recon" counts every row the adapters ' +
      'returned (changed rows, counterpart lookups, re-checks of open findings); "tuples the databases read" is ' +
      '`seq_tup_read` + `idx_tup_read` of `orders` and `dispatches` from pg_stat, before and after each run.',
    '',
  ];
}
