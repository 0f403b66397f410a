import { median } from '../report-values.ts';
import type { RoundSample } from './rounds.ts';

/** One contestant's numbers per poll, medians over the rounds (bytes over every poll: they barely vary). */
export interface Summary {
  label: string;
  polls: number;
  bodyBytes: number;
  wireBytesIn: number;
  wireBytesOut: number;
  requestsPerPoll: number;
  latencySeconds: number;
  /** Over every poll of the run: what a poller's worst minute looks like, minus the one-off outliers. */
  p95LatencySeconds: number;
  maxLatencySeconds: number;
  /** Broker CPU per poll with the idle rate times the round's wall time taken off. */
  brokerCpuSeconds: number;
  brokerCpuRawSeconds: number;
  clientCpuSeconds: number;
}

export function summarize(samples: RoundSample[], label: string, idleCpuPerSecond: number): Summary {
  const rounds = samples.filter((s) => s.label === label);
  const polls = rounds.flatMap((s) => s.polls);
  return {
    label,
    polls: polls.length,
    bodyBytes: median(polls.map((p) => p.bodyBytes)),
    wireBytesIn: median(polls.map((p) => p.wireBytesIn)),
    wireBytesOut: median(polls.map((p) => p.wireBytesOut)),
    requestsPerPoll: median(polls.map((p) => p.requests.length)),
    latencySeconds: median(rounds.map((s) => median(s.polls.map((p) => p.seconds)))),
    p95LatencySeconds: percentile(
      polls.map((p) => p.seconds),
      0.95,
    ),
    maxLatencySeconds: Math.max(...polls.map((p) => p.seconds)),
    brokerCpuSeconds: median(
      rounds.map((s) => Math.max(0, s.brokerCpuSeconds - idleCpuPerSecond * s.wallSeconds) / s.polls.length),
    ),
    brokerCpuRawSeconds: median(rounds.map((s) => s.brokerCpuSeconds / s.polls.length)),
    clientCpuSeconds: median(rounds.map((s) => s.clientCpuSeconds / s.polls.length)),
  };
}

/** A contestant's requests grouped by request as sent (path and query): how many per poll, and what each returned. */
export interface RequestRow {
  label: string;
  path: string;
  /** One full request as sent (query included), for the reader to see the parameters. */
  example: string;
  callsPerPoll: number;
  medianBodyBytes: number;
  maxBodyBytes: number;
  medianMs: number;
}

export function requestRows(samples: RoundSample[], label: string): RequestRow[] {
  const polls = samples.filter((s) => s.label === label).flatMap((s) => s.polls);
  const byPath = new Map<string, { example: string; bytes: number[]; ms: number[] }>();
  // Not by path alone: one queue is read for its statistics and, when it looks stuck, again for its consumers.
  for (const request of polls.flatMap((p) => p.requests)) {
    const path = request.path;
    const entry = byPath.get(path) ?? { example: request.path, bytes: [], ms: [] };
    entry.bytes.push(request.bodyBytes);
    entry.ms.push(request.ms);
    byPath.set(path, entry);
  }
  return [...byPath].map(([path, { example, bytes, ms }]) => ({
    label,
    path,
    example: decodeURIComponent(example),
    callsPerPoll: bytes.length / polls.length,
    medianBodyBytes: median(bytes),
    maxBodyBytes: Math.max(...bytes),
    medianMs: median(ms),
  }));
}

/** Nearest-rank percentile. */
function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}
