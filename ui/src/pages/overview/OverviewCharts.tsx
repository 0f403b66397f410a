import { useMemo } from 'preact/hooks';
import { FINDING_KINDS } from '../../../../reconcilers/registry.ts';
import type { Overview } from '../../api/types.ts';
import { LineChart } from '../../components/LineChart.tsx';
import { toFindingsSeries, toLatencySeries, toQueueDepthSeries, toRateSeries } from '../../lib/chart-series.ts';

export function OverviewCharts({ overview }: { overview: Overview }) {
  // Every chart on the window the overview was asked for, ending at the server's `at`.
  const toMs = Date.parse(overview.at);
  const window = useMemo(() => ({ fromMs: toMs - overview.minutes * 60_000, toMs }), [toMs, overview.minutes]);
  const findings = useMemo(() => toFindingsSeries(overview.history, FINDING_KINDS), [overview.history]);
  const queueNames = overview.queues.map((q) => q.name).join('\n');
  const depth = useMemo(
    () => toQueueDepthSeries(overview.queueHistory, queueNames ? queueNames.split('\n') : []),
    [overview.queueHistory, queueNames],
  );
  const rates = useMemo(() => toRateSeries(overview.queueHistory), [overview.queueHistory]);
  const latency = useMemo(() => toLatencySeries(overview.latency ?? []), [overview.latency]);

  return (
    <section class="charts" aria-label="Charts">
      <LineChart
        testId="chart-findings"
        title="Open findings per kind"
        unit="open findings"
        series={findings}
        window={window}
        isCount
      />
      <LineChart
        testId="chart-queues"
        title="Queue depth (solid: ready, dashed: unacked)"
        unit="messages"
        series={depth}
        window={window}
        isCount
      />
      <LineChart
        testId="chart-rates"
        title="Message rates, summed over the watched queues"
        unit="messages/s"
        series={rates}
        window={window}
      />
      <LineChart
        testId="chart-latency"
        title="Order → dispatch latency (solid: p50, dashed: p95)"
        unit="seconds"
        series={latency}
        window={window}
      />
    </section>
  );
}
