import { int, ratio, table, verdict } from '../report-values.ts';
import type { RoundSample } from './rounds.ts';
import { type RequestRow, requestRows, type Summary, summarize } from './summary.ts';

/** Issue 4's targets. */
const MIN_BYTES_RATIO = 10;
const MAX_POLL_SECONDS = 1;

export interface QueuesReportInput {
  command: string;
  machine: string;
  code: string;
  vhost: string;
  queues: number;
  /** Consumers on filler queues, beyond the watched queues' own (`--consumers`). */
  extraConsumers: number;
  /** Queues on the whole broker (the exporter reads every vhost). */
  brokerQueues: number;
  workload: string;
  rounds: number;
  polls: number;
  minRoundSeconds: number;
  /** Broker CPU seconds per second while nobody polls, measured before and after the rounds. */
  idleCpuPerSecond: [number, number];
  recon: string;
  /** Other ways Recon could poll (e.g. the watched queues by one listing), compared with its own; absent in old runs. */
  alternatives?: string[];
  /** The baselines' labels; the first is the issue's (no compression). */
  exporters: string[];
  samples: RoundSample[];
}

/** Bytes exactly, and in decimal units past 10 kB (1 MB = 10^6 B, as the prose around the tables uses). */
function showBytes(bytes: number): string {
  if (bytes >= 1e6) return `${int(bytes)} B (${(bytes / 1e6).toFixed(2)} MB)`;
  return bytes >= 1e4 ? `${int(bytes)} B (${(bytes / 1e3).toFixed(1)} kB)` : `${int(bytes)} B`;
}
const ms = (seconds: number) => `${(seconds * 1000).toFixed(seconds < 0.1 ? 1 : 0)} ms`;

/** The results block of BENCHMARKS.md's "Broker poll at 5,000 queues" section. */
export function toQueuesMarkdown(r: QueuesReportInput): string {
  const idle = (r.idleCpuPerSecond[0] + r.idleCpuPerSecond[1]) / 2;
  const recon = summarize(r.samples, r.recon, idle);
  const alternatives = (r.alternatives ?? []).map((label) => summarize(r.samples, label, idle));
  const exporters = r.exporters.map((label) => summarize(r.samples, label, idle));
  const others = [...alternatives, ...exporters];
  const row = (what: string, pick: (s: Summary) => number, show: (n: number) => string) => [
    what,
    show(pick(recon)),
    ...others.flatMap((e) => [show(pick(e)), ratio(pick(e) / pick(recon))]),
  ];
  return [
    `### Results: ${int(r.queues)} queues in vhost \`${r.vhost}\` (${int(r.brokerQueues)} on the broker), ` +
      `${r.extraConsumers ? `${int(r.extraConsumers)} more consumers` : 'consumers on the watched queues only'}`,
    '',
    `- Command: \`${r.command}\``,
    `- Machine: ${r.machine}`,
    `- Code: ${r.code}`,
    `- Workload: ${r.workload}`,
    `- Each round: at least ${r.polls} polls per contestant, back to back, and more until ${r.minRoundSeconds} s ` +
      `have passed (${recon.polls} polls of Recon's in all, ` +
      alternatives.map((a) => `${a.polls} of "${a.label}", `).join('') +
      `${exporters.map((e) => e.polls).join(' and ')} of the exporters'); the contestants' order rotates every round`,
    `- Broker CPU while idle: ${ms(r.idleCpuPerSecond[0])} per second before the rounds, ` +
      `${ms(r.idleCpuPerSecond[1])} after (subtracted below, pro rata to each round's wall time)`,
    '',
    ...table(
      ['per poll (medians)', r.recon, ...others.flatMap((e) => [e.label, '/ Recon'])],
      `lr${'rr'.repeat(others.length)}`,
      [
        row('requests', (s) => s.requestsPerPoll, int),
        row('response body bytes (as sent: compressed for gzip)', (s) => s.bodyBytes, showBytes),
        row('bytes received on the wire (status lines, headers, framing)', (s) => s.wireBytesIn, showBytes),
        row('bytes sent (requests)', (s) => s.wireBytesOut, showBytes),
        row('latency (median of the rounds’ medians)', (s) => s.latencySeconds, ms),
        row('latency, 95th percentile of every poll', (s) => s.p95LatencySeconds, ms),
        row('latency, slowest poll of the run', (s) => s.maxLatencySeconds, ms),
        row('broker CPU (beam.smp utime+stime), idle subtracted', (s) => s.brokerCpuSeconds, ms),
        row('broker CPU, raw', (s) => s.brokerCpuRawSeconds, ms),
        row('client CPU (this process)', (s) => s.clientCpuSeconds, ms),
      ],
    ),
    ...table(['target', 'measured', 'result'], 'lrl', [
      ...exporters.map((e) => {
        const bytesRatio = e.wireBytesIn / recon.wireBytesIn;
        return [
          `≥ ${MIN_BYTES_RATIO}x fewer bytes than the ${e.label.split(':')[0]}`,
          `${showBytes(recon.wireBytesIn)} vs ${showBytes(e.wireBytesIn)} received: **${ratio(bytesRatio)}**`,
          verdict(bytesRatio >= MIN_BYTES_RATIO),
        ];
      }),
      [
        `a poll well under ${MAX_POLL_SECONDS} s (95th percentile)`,
        `median ${ms(recon.latencySeconds)}, 95th percentile ${ms(recon.p95LatencySeconds)}, ` +
          `slowest of ${recon.polls} ${ms(recon.maxLatencySeconds)}`,
        verdict(recon.p95LatencySeconds < MAX_POLL_SECONDS),
      ],
    ]),
    `#### Requests per poll`,
    '',
    ...requestTable(
      [r.recon, ...(r.alternatives ?? []), ...r.exporters].flatMap((label) => requestRows(r.samples, label)),
    ),
  ].join('\n');
}

function requestTable(rows: RequestRow[]): string[] {
  return table(
    [
      'contestant',
      'request (as sent, decoded)',
      'calls per poll',
      'body bytes per call (median)',
      'largest',
      'time per call (median)',
    ],
    'llrrrr',
    rows.map((q) => [
      q.label,
      `\`${q.example.replaceAll('|', '\\|')}\``,
      q.callsPerPoll.toFixed(2).replace(/\.00$/, ''),
      showBytes(q.medianBodyBytes),
      showBytes(q.maxBodyBytes),
      `${q.medianMs.toFixed(q.medianMs < 100 ? 1 : 0)} ms`,
    ]),
  );
}
