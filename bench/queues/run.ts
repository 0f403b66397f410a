// Issue 4: Recon's broker poll vs the common exporter approach (one unfiltered GET /api/queues, plain and gzip) at
// 5,000 queues on the local broker: bytes, latency and broker CPU per poll, as ratios.
// Usage: npm run bench:queues -- [--queues 5000] [--rounds 5] [--polls 10] [--min-round-seconds 10] [--consumers 0]
//   [--idle-seconds 20] [--vhost bench-queues] [--keep] [--write]
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
  },
});
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
const exporters = [false, true].map((gzip) => createExporterContestant(config.rabbitmqManagementUrl, { gzip }));
try {
  log(`broker CPU idle for ${idleSeconds} s (pid ${cpu.pid})`);
  const idleBefore = await measureIdleCpu(cpu, idleSeconds);
  const samples = await runRounds({
    contestants: [recon, ...exporters],
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
  for (const e of exporters) await e.close();
  wire.close();
  await prepared.close({ keep: values.keep });
  log(values.keep ? `kept vhost ${vhost}` : `deleted vhost ${vhost}`);
}
