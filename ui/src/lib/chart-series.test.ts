import { describe, expect, it } from 'vitest';
import type { QueueHistoryPoint } from '../api/types.ts';
import { toFindingsSeries, toLatencySeries, toQueueDepthSeries, toRateSeries } from './chart-series.ts';

const poll = (at: string, queues: QueueHistoryPoint['queues'], ok = true): QueueHistoryPoint => ({ at, ok, queues });

describe('toQueueDepthSeries', () => {
  it('leaves a gap, not a zero, for a failed poll and for a field the broker did not send', () => {
    const series = toQueueDepthSeries(
      [poll('2024-01-01T00:00:00Z', [{ name: 'q', ready: 3, rates: {} }]), poll('2024-01-01T00:00:05Z', [], false)],
      ['q'],
    );
    expect(series.lines.find((l) => l.key === 'q|ready')?.data).toEqual([3, null]);
    expect(series.lines.find((l) => l.key === 'q|unacked')?.data).toEqual([null, null]);
  });
});

describe('toRateSeries', () => {
  it('sums a rate over the queues that sent it', () => {
    const series = toRateSeries([
      poll('2024-01-01T00:00:00Z', [
        { name: 'a', rates: { publish: 1.5, ack: 1 } },
        { name: 'b', rates: { publish: 2 } },
      ]),
    ]);
    expect(series.lines.find((l) => l.key === 'publish')?.data).toEqual([3.5]);
    expect(series.lines.find((l) => l.key === 'ack')?.data).toEqual([1]);
  });

  it('draws no line for a rate no queue sent in the window', () => {
    const series = toRateSeries([poll('2024-01-01T00:00:00Z', [{ name: 'a', rates: { publish: 1 } }])]);
    expect(series.lines.map((l) => l.key)).toEqual(['publish']);
  });
});

describe('toFindingsSeries', () => {
  it('gives every kind a line, zero where it had nothing open', () => {
    const series = toFindingsSeries(
      [
        { at: '2024-01-01T00:00:00Z', kind: 'stuck-outbox', open: 2 },
        { at: '2024-01-01T00:01:00Z', kind: 'dead-letter', open: 1 },
      ],
      ['stuck-outbox', 'dead-letter'],
    );
    expect(series.labels).toHaveLength(2);
    expect(series.lines.map((l) => l.data)).toEqual([
      [2, 0],
      [0, 1],
    ]);
  });
});

describe('toLatencySeries', () => {
  it('keeps minutes without dispatches as gaps', () => {
    const series = toLatencySeries([{ at: '2024-01-01T00:00:00Z', count: 0, p50Seconds: null, p95Seconds: null }]);
    expect(series.lines.map((l) => l.data)).toEqual([[null], [null]]);
  });
});
