// Issue 5: bulk redrive of 100,000 dead letters on the local broker — Recon's publisher (a window of confirms in
// flight) vs publish-and-wait-for-each-confirm, side by side: messages/s as a ratio, confirm latency, count check.
// Usage: npm run bench:redrive -- [--messages 100000] [--rounds 2] [--baseline-sample N] [--feeds 1024,all]
//   [--vhost bench-redrive] [--keep]
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { DISPATCH_QUEUE } from '../../demo/names.ts';
import { loadConfig } from '../../server/config.ts';
import { type Contestant, createPerMessageContestant, createReconContestant } from './contestants.ts';
import { makeDeadLetters } from './dead-letters.ts';
import { readBackQueue } from './read-back.ts';
import { openRedriveVhost } from './redrive-vhost.ts';
import { BASELINE, type Measurement, percentile, type RedriveReport, ratePerSecond, toMarkdown } from './report.ts';
import { installWireClock } from './wire-clock.ts';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '2' },
    'baseline-sample': { type: 'string' },
    feeds: { type: 'string', default: '1024,all' },
    vhost: { type: 'string', default: 'bench-redrive' },
    keep: { type: 'boolean', default: false },
  },
});
const log = (line: string) => console.log(`[bench:redrive] ${line}`);
const total = Number(values.messages);
const rounds = Math.max(2, Number(values.rounds));
const baselineCount = Math.min(total, Number(values['baseline-sample'] ?? total));
/**
 * How many publish calls the caller keeps pending on Recon's publisher, one contestant each: a few times its window
 * (the window alone paces the wire), and `all`, every message's call made at once (a bulk that awaits them together).
 */
const feeds = values.feeds.split(',').map((feed) => (feed === 'all' ? Number.POSITIVE_INFINITY : Number(feed)));
for (const [name, value] of Object.entries({ messages: total, 'baseline-sample': baselineCount, feeds: feeds[0] }))
  if (!(Number(value) >= 1)) throw new Error(`--${name}: expected a positive number, got ${values[name as 'feeds']}`);

const config = loadConfig(process.env);
const vhost = await openRedriveVhost({
  brokerUrl: config.rabbitmqUrl,
  managementUrl: config.rabbitmqManagementUrl,
  vhost: values.vhost,
});
const clock = installWireClock(await vhost.connection.createConfirmChannel());
const deadLetters = makeDeadLetters(total);
const contestants: Array<{ key: string; contestant: Contestant; count: number }> = [
  ...feeds.map((feed) => ({
    key: `recon:${feed}`,
    contestant: createReconContestant(vhost.amqpUrl, config.actions.confirmTimeoutMs, feed),
    count: total,
  })),
  { key: BASELINE, contestant: createPerMessageContestant(vhost.amqpUrl), count: baselineCount },
];
const measurements: Measurement[] = [];

async function measure(round: number, { key, contestant, count }: (typeof contestants)[number]) {
  const messages = deadLetters.slice(0, count);
  await vhost.recreateQueue();
  log(`round ${round}: ${contestant.label}, ${count.toLocaleString('en')} messages`);
  const run = await contestant.run(messages, clock.reset);
  const ids = messages.map((m) => m.messageId);
  const isConfirmedOnce =
    clock.published() === count &&
    clock.confirmsById.size === count &&
    ids.every((id) => clock.confirmsById.get(id) === 1);
  const confirmLatenciesMs = [...clock.latenciesMs];
  const queue = await readBackQueue(vhost.channel, DISPATCH_QUEUE, ids);
  const measurement = {
    round,
    key,
    label: contestant.label,
    messages: count,
    run,
    confirmLatenciesMs,
    isConfirmedOnce,
    fullBuffers: clock.fullBuffers(),
    queue,
  };
  measurements.push(measurement);
  // Everything the table needs, so that a run cut short (a broker restart by another suite) still leaves numbers.
  const [p50, p99] = [50, 99].map((p) => percentile(confirmLatenciesMs, p).toFixed(1));
  log(
    `  ${run.seconds.toFixed(2)} s, ${Math.round(ratePerSecond(measurement)).toLocaleString('en')} msgs/s, ` +
      `confirm p50 ${p50} ms p99 ${p99} ms, CPU ${run.cpuSeconds.toFixed(1)} s, ${measurement.fullBuffers} full ` +
      `buffers, ${JSON.stringify(run.outcomes)}, one confirm per id: ${isConfirmedOnce}, ` +
      `queue exact: ${queue.isExact} (${queue.read} read, ${queue.distinctIds} distinct)`,
  );
}

try {
  for (let round = 1; round <= rounds; round += 1) {
    // Alternate who goes first, so that neither always meets a warmer (or more fragmented) broker.
    const order = round % 2 === 1 ? contestants : [...contestants].reverse();
    for (const entry of order) await measure(round, entry);
  }
  const cpus = os.cpus();
  const report: RedriveReport = {
    command: ['npm run bench:redrive', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
    machine:
      `${cpus.length} cores (${cpus[0]?.model.trim()}), Node ${process.version}, ` +
      `RabbitMQ ${vhost.rabbitmqVersion} on the ` +
      `same machine, quorum queue (one node); 1-min load average ${os.loadavg()[0]!.toFixed(2)} at the end`,
    code: publisherVersion(),
    measurements,
  };
  console.log(`\n${toMarkdown(report)}\n`);
} finally {
  // A failed clean-up is reported, not thrown: it must not hide the error that ended the run.
  await vhost.close({ keep: values.keep }).then(
    () => log(values.keep ? `kept vhost ${values.vhost}` : `deleted vhost ${values.vhost}`),
    (error: Error) => log(`vhost ${values.vhost} NOT deleted: ${error.message}`),
  );
}

/** The measured code is the publisher, loaded once when the run starts: the commit that last changed it, and HEAD. */
function publisherVersion(): string {
  const file = 'server/adapters/action-publisher.ts';
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: new URL('../..', import.meta.url), encoding: 'utf8' }).trim();
  try {
    const changed = git('status', '--porcelain', '--', file) ? ', with uncommitted changes' : '';
    const head = git('rev-parse', '--short', 'HEAD');
    return `\`${file}\` as of ${git('log', '-1', '--format=%h', '--', file)}${changed} (HEAD ${head})`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}
