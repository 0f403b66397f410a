// Issue 4: Recon's broker poll vs the common exporter approach (one unfiltered GET /api/queues, plain and gzip) at
// 5,000 queues on the local broker: bytes, latency and broker CPU per poll, as ratios.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../server/config.ts';
import { codeVersion } from '../code-version.ts';
import { prepareVhost } from './bench-vhost.ts';
import { findBrokerCpu } from './broker-cpu.ts';
import { createExporterContestant, createReconContestant } from './contestants.ts';
import { createManagementAdmin } from './management-admin.ts';
import { type QueuesReportInput, toQueuesMarkdown } from './report.ts';
import { saveQueuesResults, writeQueuesBlock } from './results-file.ts';
import { measureIdleCpu, runRounds } from './rounds.ts';
import { createWireCounter } from './wire-counter.ts';

const { values } = parseArgs({
  options: {
    queues: { type: 'string', default: '5000' },
    rounds: { type: 'string', default: '5' },
    polls: { type: 'string', default: '10' },
    'min-round-seconds': { type: 'string', default: '10' },
    consumers: { type: 'string', default: '0' },
    'idle-seconds': { type: 'string', default: '20' },
    vhost: { type: 'string', default: 'bench-queues' },
    keep: { type: 'boolean', default: false },
    write: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(`Usage: npm run bench:queues -- [options]
  --queues N             queues in the benchmark's vhost, the watched ones included (5000)
  --rounds N             rounds; the contestants' order rotates every round; medians reported (5)
  --polls N              at least this many polls per contestant and round, back to back... (10)
  --min-round-seconds S  ...and more until S seconds have passed (10)
  --consumers N          consumers on filler queues, 50 per channel, beyond the watched queues' own (0)
  --idle-seconds S       broker CPU measured with nobody polling, before and after the rounds (20)
  --vhost NAME           the benchmark's own vhost, created or reused, deleted at the end (bench-queues)
  --keep                 keep the vhost and its queues for the next run
  --write                replace this scenario's results block in BENCHMARKS.md
Contestants: Recon's poll (watched queues by name), Recon with the watched queues by one name-filtered listing,
and the exporter approach (one unfiltered GET /api/queues), plain and with gzip.`);
  process.exit(0);
}
const log = (line: string) => console.log(`[bench:queues] ${line}`);
const vhost = values.vhost;
const rounds = Math.max(1, Number(values.rounds));
const polls = Math.max(1, Number(values.polls));
const minRoundSeconds = Number(values['min-round-seconds']);
const idleSeconds = Number(values['idle-seconds']);
const versionAtStart = codeVersion();

// Recon's own configuration (the environment, or its defaults), pointed at the benchmark's vhost. The poll interval
// is an hour so that the poller's timer never polls on its own mid-measurement: every measured poll is a pollNow().
const amqpUrl = new URL(loadConfig(process.env).rabbitmqUrl);
amqpUrl.pathname = `/${encodeURIComponent(vhost)}`;
const config = loadConfig({
  ...process.env,
  RABBITMQ_URL: amqpUrl.toString(),
  RECON_BROKER_POLL_INTERVAL_SECONDS: '3600',
});
const cpu = findBrokerCpu();
const admin = createManagementAdmin(config.rabbitmqManagementUrl);
const prepared = await prepareVhost({
  admin,
  amqpUrl: amqpUrl.toString(),
  vhost,
  total: Number(values.queues),
  watched: config.watchedQueues,
  extraConsumers: Number(values.consumers),
  log,
});
// Subscribed before the contestants exist, so that their first connection's socket is counted too.
const wire = createWireCounter();
const recon = createReconContestant(config);
// The same poll with the watched queues read by one name-filtered listing: what Recon did before, and still does
// for long lists of names. Measured side by side so that the cheaper way is the default one.
const byListing = createReconContestant(config, { label: 'Recon, queues by listing', maxQueuesByName: 0 });
const exporters = [false, true].map((gzip) => createExporterContestant(config.rabbitmqManagementUrl, { gzip }));
try {
  log(`broker CPU idle for ${idleSeconds} s (pid ${cpu.pid})`);
  const idleBefore = await measureIdleCpu(cpu, idleSeconds);
  const samples = await runRounds({
    contestants: [recon, byListing, ...exporters],
    rounds,
    polls,
    minRoundSeconds,
    wire,
    cpu,
    log,
  });
  const idleAfter = await measureIdleCpu(cpu, idleSeconds);
  const overview = (await admin.call('GET', '/api/overview?columns=rabbitmq_version,erlang_version,object_totals')) as {
    rabbitmq_version: string;
    erlang_version: string;
    object_totals: { queues: number };
  };
  const cpus = os.cpus();
  const input: QueuesReportInput = {
    command: `npm run bench:queues -- ${process.argv.slice(2).join(' ')}`.trim(),
    machine:
      `${cpus.length} cores (${cpus[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM, ` +
      `Node ${process.version}, RabbitMQ ${overview.rabbitmq_version} (Erlang ${overview.erlang_version}) on the ` +
      `same machine; 1-min load average ${os.loadavg()[0]!.toFixed(2)} at end`,
    code:
      codeVersion() === versionAtStart
        ? versionAtStart
        : `CHANGED during the run: ${versionAtStart} → ${codeVersion()}`,
    vhost,
    queues: prepared.queues,
    extraConsumers: Number(values.consumers),
    brokerQueues: overview.object_totals.queues,
    workload:
      `${prepared.workload.consumers} consumers on ${prepared.workload.channels} channels ` +
      `(\`${config.watchedQueues[0]}\` holds unacked messages on every poll); setup took ` +
      `${prepared.setupSeconds.toFixed(0)} s and published ${prepared.published} messages`,
    rounds,
    polls,
    minRoundSeconds,
    idleCpuPerSecond: [idleBefore, idleAfter],
    recon: recon.label,
    alternatives: [byListing.label],
    exporters: exporters.map((e) => e.label),
    samples,
  };
  await saveQueuesResults(input);
  const markdown = toQueuesMarkdown(input);
  console.log(`\n${markdown}\n`);
  if (values.write) {
    const isWritten = await writeQueuesBlock(input, markdown);
    log(isWritten ? 'results written to BENCHMARKS.md' : 'BENCHMARKS.md has no block for this scenario: not written');
  }
} finally {
  await recon.close();
  await byListing.close();
  for (const e of exporters) await e.close();
  wire.close();
  await prepared.close({ keep: values.keep });
  log(values.keep ? `kept vhost ${vhost}` : `deleted vhost ${vhost}`);
}
