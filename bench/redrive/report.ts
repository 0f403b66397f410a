import type { ContestantRun } from './contestants.ts';
import type { QueueCheck } from './read-back.ts';

/** The target: Recon's publisher at least this many times the per-message baseline's messages per second. */
export const TARGET_RATIO = 3;
export const BASELINE = 'per-message';

export interface Measurement {
  round: number;
  /** `per-message`, or `recon:<calls pending>`. */
  key: string;
  label: string;
  messages: number;
  run: ContestantRun;
  /** amqplib publish → broker confirm, per message (the wire clock). */
  confirmLatenciesMs: number[];
  /** amqplib was handed each id once and delivered exactly one confirm for it. */
  isConfirmedOnce: boolean;
  /** Times amqplib's publish returned false (back-pressure) during the run. */
  fullBuffers: number;
  queue: QueueCheck;
}

export interface RedriveReport {
  command: string;
  machine: string;
  code: string;
  measurements: Measurement[];
}

export const ratePerSecond = (m: Measurement) => m.messages / m.run.seconds;

export function percentile(values: ArrayLike<number>, p: number): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return Number.isInteger(middle) ? (sorted[middle - 1]! + sorted[middle]!) / 2 : sorted[Math.floor(middle)]!;
}
function ms(value: number): string {
  if (value >= 1_000) return `${(value / 1_000).toFixed(1)} s`;
  return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`;
}
const int = (value: number) => Math.round(value).toLocaleString('en');
const isExact = (m: Measurement) => m.run.outcomes.confirmed === m.messages && m.isConfirmedOnce && m.queue.isExact;

/** Median messages/s of each Recon feed against the baseline's median, and whether every run was exact. */
export function summarise({ measurements }: RedriveReport) {
  const rateOf = (key: string) => median(measurements.filter((m) => m.key === key).map(ratePerSecond));
  const baseline = rateOf(BASELINE);
  const reconKeys = [...new Set(measurements.map((m) => m.key))].filter((key) => key !== BASELINE);
  const recon = reconKeys.map((key) => {
    const rate = rateOf(key);
    const label = measurements.find((m) => m.key === key)!.label;
    return { key, label, rate, ratio: rate / baseline, isFast: rate / baseline >= TARGET_RATIO };
  });
  return { baseline, recon, isExact: measurements.every(isExact) };
}

function outcomesText({ run, isConfirmedOnce }: Measurement): string {
  const parts = Object.entries(run.outcomes).filter(([status, n]) => n > 0 || status === 'confirmed');
  const text = parts.map(([status, n]) => `${int(n)} ${status}`).join(', ');
  return isConfirmedOnce ? `${text}; 1 broker confirm per id` : `**${text}; NOT 1 broker confirm per id**`;
}

function queueText({ queue }: Measurement): string {
  const { read, distinctIds, brokerCount } = queue;
  const head = `${int(read)} read, ${int(distinctIds)} distinct ids (broker count ${int(brokerCount)})`;
  return queue.isExact ? head : `**${head}; ${int(queue.missing)} missing, ${int(queue.unexpected)} unexpected**`;
}

export function toMarkdown(report: RedriveReport): string {
  const s = summarise(report);
  const sizes = new Set(report.measurements.map((m) => m.messages));
  return [
    `Command: \`${report.command}\`  `,
    `Machine: ${report.machine}  `,
    `Code: ${report.code}`,
    '',
    '| target | measured (median of rounds) | result |',
    '|---|--:|:-:|',
    ...s.recon.map(
      (r) =>
        `| ${r.label} ≥ ${TARGET_RATIO}x the per-message baseline, messages/s | ` +
        `${int(r.rate)}/s vs ${int(s.baseline)}/s${sizes.size > 1 ? ' (baseline on a sample)' : ''}: ` +
        `**${r.ratio.toFixed(1)}x** | ${r.isFast ? 'pass' : '**FAIL**'} |`,
    ),
    `| every message confirmed exactly once; the queue holds each message id exactly once | ` +
      `${s.isExact ? 'every run' : 'NOT in every run (see below)'} | ${s.isExact ? 'pass' : '**FAIL**'} |`,
    '',
    '| round | contestant | messages | wall time | messages/s | confirm p50 / p99 | publish call → outcome p50 / p99 ' +
      '| client CPU per message | outcomes | read back from the queue |',
    '|--:|---|--:|--:|--:|--:|--:|--:|---|---|',
    ...report.measurements.map(
      (m) =>
        `| ${m.round} | ${m.label} | ${int(m.messages)} | ${m.run.seconds.toFixed(1)} s | ${int(ratePerSecond(m))} | ` +
        `${ms(percentile(m.confirmLatenciesMs, 50))} / ${ms(percentile(m.confirmLatenciesMs, 99))} | ` +
        `${ms(percentile(m.run.callLatenciesMs, 50))} / ${ms(percentile(m.run.callLatenciesMs, 99))} | ` +
        `${int((m.run.cpuSeconds / m.messages) * 1e6)} µs | ${outcomesText(m)} | ${queueText(m)} |`,
    ),
    '',
    `Back-pressure: amqplib's \`publish\` returned false (buffer full, wait for 'drain') ` +
      `${int(report.measurements.reduce((sum, m) => sum + m.fullBuffers, 0))} times over all runs.`,
  ].join('\n');
}
