// Recon's full sweep vs two naive baselines, and the incremental cycle vs a full scan, in one run.
// Usage: npm run bench -- [--orders 1000000] [--rounds 3] [--sample 20000] [--per-row-full] [--first-cycle] [--touched 1000]
//   [--reseed]
import os from 'node:os';
import { parseArgs } from 'node:util';
import { migrateStore } from '../server/store/migrate.ts';
import { BENCHMARKS_FILE, writeSection } from './benchmarks-file.ts';
import { buildContestants } from './child.ts';
import { codeVersion } from './code-version.ts';
import { startStealMeter } from './cpu-steal.ts';
import { benchPool } from './databases.ts';
import { readExpected } from './expected.ts';
import { explainAdapterQueries } from './explain.ts';
import { runFullScans } from './full-scan.ts';
import { runIncremental } from './incremental.ts';
import { createMeasurer } from './measure.ts';
import { type ReportInput, toMarkdown } from './report.ts';
import { saveResults } from './results-cache.ts';
import { seed } from './seed.ts';

/** Up to this size the per-row baseline also runs over every row and the first cycle starts from no watermark. */
const FULL_RUN_LIMIT = 100_000;

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '3' },
    sample: { type: 'string', default: '20000' },
    'per-row-full': { type: 'boolean' },
    'first-cycle': { type: 'boolean' },
    touched: { type: 'string', default: '1000' },
    reseed: { type: 'boolean', default: false },
  },
});
const orders = Number(values.orders);
const rounds = Math.max(2, Number(values.rounds));
const sampleSize = Number(values.sample);
const touched = Number(values.touched);
const isSmall = orders <= FULL_RUN_LIMIT;
const log = (line: string) => console.log(`[bench] ${line}`);
const startedAt = performance.now();
const stealSince = startStealMeter();
// Every contestant runs this build (dist/), so edits to the tree after this point do not reach the measured code.
const measuredVersion = codeVersion();
log('building (npm run build)');
buildContestants();

let expected = await readExpected();
let seedSeconds: number | null = null;
if (values.reseed || expected?.orders !== orders) {
  const seedStartedAt = performance.now();
  expected = await seed(orders, log);
  seedSeconds = (performance.now() - seedStartedAt) / 1000;
}
if (!expected) throw new Error('no expected answer: the seed did not run');

const pools = { orders: benchPool('orders'), dispatch: benchPool('dispatch'), recon: benchPool('recon') };
try {
  // Data seeded by an older build keeps its rows, but the store must have this build's tables.
  await migrateStore(pools.recon);
  const setting = async (name: string) =>
    (await pools.recon.query(`SELECT current_setting($1) AS v`, [name])).rows[0]?.v;
  const cpus = os.cpus();
  const machine =
    `${cpus.length} cores (${cpus[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM, ` +
    `${os.type()} ${os.release()}, Node ${process.version}, PostgreSQL ${await setting('server_version')} on the same ` +
    `machine (shared_buffers ${await setting('shared_buffers')}, work_mem ${await setting('work_mem')}, ` +
    `random_page_cost ${await setting('random_page_cost')}); 1-min load average ${os.loadavg()[0]!.toFixed(2)} at start`;
  log("EXPLAIN of the adapters' statements");
  const plans = await explainAdapterQueries();
  const measure = createMeasurer(pools, log);
  const fullScan = await runFullScans({
    measure,
    expected,
    recon: pools.recon,
    rounds,
    sampleSize,
    isPerRowFull: values['per-row-full'] ?? isSmall,
    log,
  });
  const incremental = await runIncremental({
    measure,
    expected,
    recon: pools.recon,
    rounds,
    touched,
    isFirstCycleRun: values['first-cycle'] ?? isSmall,
    log,
  });
  const input: ReportInput = {
    orders: expected.orders,
    dispatches: expected.dispatches,
    missing: expected.missing.length,
    orphans: expected.orphans.length,
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine: `${machine}, ${os.loadavg()[0]!.toFixed(2)} at end${stealNote(stealSince())}`,
    code: measuredVersion,
    seedSeconds,
    rounds,
    sampleSize,
    touched,
    plans,
    fullScan,
    incremental,
  };
  await saveResults(input);
  const section = toMarkdown(input);
  console.log(`\n${section}\n`);
  await writeSection(BENCHMARKS_FILE, expected.orders, section);
  log(`done in ${((performance.now() - startedAt) / 60_000).toFixed(1)} min; results written to BENCHMARKS.md`);
} finally {
  await Promise.all(Object.values(pools).map((p) => p.end()));
}

function stealNote(steal: number | null): string {
  return steal === null
    ? ''
    : `; CPU steal (time the hypervisor gave other guests) ${(steal * 100).toFixed(0)}% over the run`;
}
