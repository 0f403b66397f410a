import type { FindingKind } from '../../../reconcilers/registry.ts';
import type { LatencyPoint, MessageRates, Overview, QueueHistoryPoint } from '../api/types.ts';

// Pure transforms from the overview's JSON to line-chart series. A point the server did not have (a failed poll, a
// counter the broker did not send, a minute without dispatches) is null: a gap in the line, not a drop to zero.

export interface SeriesLine {
  /** Stable identity across updates, so a chart updates a line in place instead of redrawing it. */
  key: string;
  label: string;
  data: Array<number | null>;
  isDashed?: boolean;
  /** Lines of one group share a colour (a queue's ready and unacked); the key when absent. */
  group?: string;
}

export interface Series {
  /** The ISO time of each point; the chart writes them in the UI's zone. */
  labels: string[];
  lines: SeriesLine[];
}

export function toFindingsSeries(history: Overview['history'], kinds: readonly FindingKind[]): Series {
  const times = [...new Set(history.map((p) => p.at))].sort();
  const open = new Map(history.map((p) => [`${p.at}|${p.kind}`, p.open]));
  return {
    labels: times,
    // A kind with no row in a bucket had nothing open then.
    lines: kinds.map((kind) => ({ key: kind, label: kind, data: times.map((at) => open.get(`${at}|${kind}`) ?? 0) })),
  };
}

export function toQueueDepthSeries(polls: readonly QueueHistoryPoint[], queueNames: readonly string[]): Series {
  const lines = queueNames.flatMap((name) => [
    {
      key: `${name}|ready`,
      group: name,
      label: `${name} ready`,
      data: polls.map((p) => queueField(p, name, 'ready')),
    },
    {
      key: `${name}|unacked`,
      group: name,
      label: `${name} unacked`,
      data: polls.map((p) => queueField(p, name, 'unacked')),
      isDashed: true,
    },
  ]);
  return { labels: polls.map((p) => p.at), lines };
}

const RATE_NAMES = ['publish', 'confirm', 'deliver', 'ack', 'redeliver'] as const satisfies ReadonlyArray<
  keyof MessageRates
>;

/**
 * Message rates summed over the watched queues, one line per counter. A counter no queue sent in the whole window
 * has no line at all (queues rarely report `confirm`): an empty legend entry would suggest a rate of zero.
 */
export function toRateSeries(polls: readonly QueueHistoryPoint[]): Series {
  const lines = RATE_NAMES.map((rate) => ({
    key: rate,
    label: `${rate}/s`,
    data: polls.map((poll) => sumRate(poll, rate)),
  })).filter((line) => line.data.some((value) => value !== null));
  return { labels: polls.map((p) => p.at), lines };
}

export function toLatencySeries(latency: readonly LatencyPoint[]): Series {
  return {
    labels: latency.map((p) => p.at),
    lines: [
      { key: 'p50', group: 'latency', label: 'p50 (s)', data: latency.map((p) => p.p50Seconds) },
      { key: 'p95', group: 'latency', label: 'p95 (s)', data: latency.map((p) => p.p95Seconds), isDashed: true },
    ],
  };
}

function queueField(poll: QueueHistoryPoint, name: string, field: 'ready' | 'unacked'): number | null {
  if (!poll.ok) return null;
  return poll.queues.find((q) => q.name === name)?.[field] ?? null;
}

function sumRate(poll: QueueHistoryPoint, rate: keyof MessageRates): number | null {
  if (!poll.ok) return null;
  const values = poll.queues.map((q) => q.rates?.[rate]).filter((v): v is number => typeof v === 'number');
  return values.length === 0 ? null : values.reduce((sum, v) => sum + v, 0);
}
