// A preset's flow against the reference (uuid) flow, side by side in one run: Recon's full sweep and its warm
// incremental cycle on each, rounds alternating which flow goes first, and the ratio of the medians.
// Usage: npm run bench:presets -- [--preset cap] [--orders 1000000] [--rounds 3] [--touched 1000] [--reseed]
import os from 'node:os';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { BENCHMARKS_FILE, writeSection } from '../benchmarks-file.ts';
import { createReconContext } from '../contestants/recon-context.ts';
import { totalRows } from '../counting-ports.ts';
import { createTupleCounter } from '../db-stats.ts';
import { median, ratio, secs, verdict } from '../report-values.ts';
import {
  type BenchFlow,
  FLOWS,
  type FlowName,
  flowUrl,
  MISSING_EVERY,
  ORPHAN_EVERY,
  seededOrders,
  seedFlow,
} from './flows.ts';

/** The target: a preset's flow costs at most this much more than the uuid flow. */
const TARGET_RATIO = 1.2;
/** Cycles run before the measured one, each after the same changes: a running Recon is warm. */
const WARM_UP_CYCLES = 3;

const { values } = parseArgs({
  options: {
    preset: { type: 'string', default: 'cap' },
    orders: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '3' },
    touched: { type: 'string', default: '1000' },
    reseed: { type: 'boolean', default: false },
  },
});
const preset = values.preset as FlowName;
if (!(preset in FLOWS) || preset === 'uuid') throw new Error(`--preset must be one of: cap (got ${values.preset})`);
const orders = Number(values.orders);
if (!Number.isInteger(orders) || orders < ORPHAN_EVERY || orders % ORPHAN_EVERY !== 0)
  throw new Error(`--orders must be a positive multiple of ${ORPHAN_EVERY}, got ${values.orders}`);
const rounds = Math.max(1, Number(values.rounds));
const touched = Number(values.touched);
const log = (line: string) => console.log(`[bench:presets] ${line}`);
const flows = [FLOWS.uuid, FLOWS[preset]];

for (const flow of flows) {
  if (!values.reseed && (await seededOrders(flow)) === orders) continue;
  const startedAt = performance.now();
  log(`seeding the ${flow.name} flow with ${orders.toLocaleString('en')} orders…`);
  await seedFlow(flow, orders);
  log(`seeded the ${flow.name} flow in ${((performance.now() - startedAt) / 1000).toFixed(0)} s`);
}

interface Run {
  sweepSeconds: number;
  sweepRows: number;
  cycleSeconds: number;
  cycleRows: number;
  cycleTuples: number;
}
const runs: Record<string, Run[]> = Object.fromEntries(flows.map((f) => [f.name, []]));
const loadAtStart = os.loadavg()[0]!;
for (let round = 0; round < rounds; round += 1) {
  // ABBA: neither flow always runs on a cache the other warmed.
  for (const flow of round % 2 === 0 ? flows : [...flows].reverse()) {
    const run = { ...(await measureSweep(flow)), ...(await measureCycle(flow)) };
    runs[flow.name]!.push(run);
    log(
      `round ${round + 1} ${flow.name}: sweep ${secs(run.sweepSeconds)} s (${run.sweepRows} rows), ` +
        `cycle ${secs(run.cycleSeconds)} s (${run.cycleRows} rows, ${run.cycleTuples} tuples)`,
    );
  }
}
const m = (flow: BenchFlow, pick: (r: Run) => number) => median(runs[flow.name]!.map(pick));
const [base, other] = flows as [BenchFlow, BenchFlow];
const sweepRatio = m(other, (r) => r.sweepSeconds) / m(base, (r) => r.sweepSeconds);
const cycleRatio = m(other, (r) => r.cycleSeconds) / m(base, (r) => r.cycleSeconds);
const cpus = os.cpus();
const lines = [
  `### ${preset} flow vs the uuid flow, ${orders.toLocaleString('en')} orders`,
  '',
  `Command: \`npm run bench:presets -- ${process.argv.slice(2).join(' ')}\`; ${rounds} rounds, ABBA order; ` +
    `${touched} orders and ${touched} dispatches changed before each measured cycle (after ${WARM_UP_CYCLES} warm-up cycles). ` +
    `Machine: ${cpus.length} cores (${cpus[0]?.model.trim()}), Node ${process.version}; 1-min load ` +
    `${loadAtStart.toFixed(2)} at start, ${os.loadavg()[0]!.toFixed(2)} at end.`,
  '',
  '| flow | sweep (median) | rows the sweep read | cycle (median) | rows the cycle read | tuples the cycle read |',
  '| --- | --: | --: | --: | --: | --: |',
  ...flows.map(
    (f) =>
      `| ${f.name} | ${secs(m(f, (r) => r.sweepSeconds))} s | ${m(f, (r) => r.sweepRows)} | ` +
      `${secs(m(f, (r) => r.cycleSeconds))} s | ${m(f, (r) => r.cycleRows)} | ${m(f, (r) => r.cycleTuples)} |`,
  ),
  '',
  `Ratio ${preset}/uuid: sweep ${ratio(sweepRatio)} ${verdict(sweepRatio <= TARGET_RATIO)}, ` +
    `cycle ${ratio(cycleRatio)} ${verdict(cycleRatio <= TARGET_RATIO)} (target: within ${TARGET_RATIO}x).`,
];
const section = lines.join('\n');
console.log(`\n${section}\n`);
await writeSection(BENCHMARKS_FILE, `preset=${preset} orders=${orders}`, section);
log('results written to BENCHMARKS.md');

function reconEnv(flow: BenchFlow, extra: Record<string, string> = {}) {
  return {
    ORDERS_DATABASE_URL: flowUrl(flow.databases.orders),
    DISPATCH_DATABASE_URL: flowUrl(flow.databases.dispatch),
    RECON_DATABASE_URL: flowUrl(flow.databases.recon),
    RABBITMQ_URL: process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
    RABBITMQ_MANAGEMENT_URL: process.env.RABBITMQ_MANAGEMENT_URL ?? 'http://guest:guest@127.0.0.1:15672',
    ...flow.reconEnv,
    ...extra,
  };
}

async function measureSweep(flow: BenchFlow) {
  const recon = createReconContext(reconEnv(flow));
  try {
    await recon.warmUp();
    const startedAt = performance.now();
    const report = await recon.engine.runSweep(new Date());
    const sweepSeconds = (performance.now() - startedAt) / 1000;
    recon.assertNoFailure();
    if (!report.complete) throw new Error(`the ${flow.name} sweep did not complete`);
    await assertFindings(flow);
    return { sweepSeconds, sweepRows: totalRows(recon.stats) };
  } finally {
    await recon.close();
  }
}

/** Every flow holds the same inconsistencies: a sweep that finds other counts measured something else. */
async function assertFindings(flow: BenchFlow) {
  const client = new pg.Client({ connectionString: flowUrl(flow.databases.recon) });
  await client.connect();
  try {
    const { rows } = await client.query<{ kind: string; n: number }>(
      `SELECT kind, count(*)::int AS n FROM findings WHERE state = 'open' GROUP BY kind`,
    );
    const open = Object.fromEntries(rows.map((r) => [r.kind, r.n]));
    const want = {
      'order-without-dispatch': orders / MISSING_EVERY,
      'dispatch-without-order': orders / ORPHAN_EVERY,
    };
    for (const [kind, n] of Object.entries(want))
      if (open[kind] !== n) throw new Error(`the ${flow.name} flow has ${open[kind] ?? 0} open ${kind}, wanted ${n}`);
  } finally {
    await client.end();
  }
}

async function measureCycle(flow: BenchFlow) {
  // Grace 0 and overlap 0: a cycle's window is exactly "changed since the last cycle".
  const recon = createReconContext(reconEnv(flow, { RECON_GRACE_SECONDS: '0', RECON_OVERLAP_SECONDS: '0' }));
  const pool = (database: string) => new pg.Pool({ connectionString: flowUrl(database), max: 1 });
  const pools = { orders: pool(flow.databases.orders), dispatch: pool(flow.databases.dispatch) };
  try {
    await recon.warmUp();
    for (let i = 0; i < WARM_UP_CYCLES; i += 1) {
      await touch(flow);
      await recon.engine.runCycle(new Date());
    }
    await recon.flushStatistics();
    recon.resetStats();
    await touch(flow);
    const { result, tuplesRead } = await createTupleCounter(pools, flow.tables).measure(async () => {
      const startedAt = performance.now();
      const report = await recon.engine.runCycle(new Date());
      const seconds = (performance.now() - startedAt) / 1000;
      await recon.flushStatistics();
      return { report, seconds };
    });
    recon.assertNoFailure();
    if (!result.report.fresh.orders || !result.report.fresh.dispatch)
      throw new Error(`the ${flow.name} cycle could not read a side`);
    return { cycleSeconds: result.seconds, cycleRows: totalRows(recon.stats), cycleTuples: tuplesRead };
  } finally {
    await recon.close();
    await Promise.all([pools.orders.end(), pools.dispatch.end()]);
  }
}

/** Changes `touched` random rows of each side, on connections that close at once (their scans are not counted). */
async function touch(flow: BenchFlow) {
  for (const [database, sql] of [
    [flow.databases.orders, flow.touch.orders],
    [flow.databases.dispatch, flow.touch.dispatches],
  ] as const) {
    const client = new pg.Client({ connectionString: flowUrl(database) });
    await client.connect();
    try {
      await client.query(sql, [touched]);
    } finally {
      await client.end();
    }
  }
}
