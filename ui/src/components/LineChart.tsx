import type { ChartDataset } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';
import { lineStyleOf } from '../lib/chart-palette.ts';
import type { Series, SeriesLine } from '../lib/chart-series.ts';
import { Chart, themeColors } from '../lib/chart-setup.ts';
import { useTheme } from '../lib/theme.ts';
import { formatClock, formatTime, type TimeOptions, zoneLabel } from '../lib/time.ts';
import { useTimeOptions } from '../lib/time-zone.ts';

interface Props {
  testId: string;
  title: string;
  series: Series;
  /** What the y values are, for the screen-reader label and the axis. */
  unit: string;
  /** Counts: whole-number ticks only. */
  isCount?: boolean;
  /** The x axis runs over this window (epoch ms), data or not: every chart of a page on the same time. */
  window?: { fromMs: number; toMs: number };
}

type Point = { x: number; y: number | null };
type LineDataset = ChartDataset<'line', Point[]> & { key: string };

/**
 * One line chart, created once and updated in place (`update('none')`): a new chart per live event would flicker,
 * lose the legend's hidden lines and leak canvases.
 */
export function LineChart({ testId, title, series, unit, isCount = false, window }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'line', Point[], string> | null>(null);
  const theme = useTheme();
  // The labels are ISO times; the axis and the tooltip write them in the UI's zone, read through a ref because the
  // chart keeps the callbacks it was created with.
  const timeOptions = useTimeOptions();
  const zone = useRef(timeOptions);
  const tickStep = useRef<number | null>(null);
  tickStep.current = window ? tickStepMs(window.toMs - window.fromMs) : null;
  zone.current = timeOptions;

  useEffect(() => {
    if (!canvas.current) return;
    const colors = themeColors();
    chart.current = new Chart(canvas.current, {
      type: 'line',
      data: { labels: [], datasets: [] },
      options: {
        animation: false,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        // Straight segments: a smoothed line would dip below zero and draw values that were never measured.
        elements: { point: { radius: 2, hitRadius: 6 }, line: { borderWidth: 2, tension: 0 } },
        scales: {
          // A time axis (epoch ms): points sit where they were measured, so 5 s polls beside per-minute samples
          // keep their true spacing.
          x: {
            type: 'linear',
            ticks: {
              color: colors.text,
              maxTicksLimit: 6,
              maxRotation: 0,
              callback: (value) => formatClock(new Date(Number(value)).toISOString(), zone.current.zone),
            },
            // Ticks on whole clock times (every 5 min, 15 min, 1 h) rather than wherever the window starts: the
            // scale would count its steps from `min`.
            afterBuildTicks: (axis) => {
              const step = tickStep.current;
              if (!step) return;
              const ticks = [];
              for (let at = Math.ceil(axis.min / step) * step; at <= axis.max; at += step) ticks.push({ value: at });
              axis.ticks = ticks;
            },
            title: { display: true, text: zoneTitle(zone.current), color: colors.text },
            grid: { color: colors.grid },
          },
          y: {
            beginAtZero: true,
            title: { display: true, text: unit, color: colors.text },
            ticks: { color: colors.text, ...(isCount ? { precision: 0 } : {}) },
            grid: { color: colors.grid },
          },
        },
        plugins: {
          // A short line in the legend, dashed or dotted like its series: the dash tells apart lines of one colour.
          legend: {
            labels: {
              color: colors.text,
              usePointStyle: true,
              pointStyle: 'line',
              pointStyleWidth: 28,
              // The default takes a point's style, which has no dash: take the line's.
              generateLabels: (chart) =>
                Chart.defaults.plugins.legend.labels.generateLabels(chart).map((item) => ({
                  ...item,
                  lineDash: (chart.data.datasets[item.datasetIndex ?? 0] as LineDataset | undefined)?.borderDash as
                    | number[]
                    | undefined,
                  lineWidth: 2,
                })),
            },
          },
          tooltip: {
            callbacks: {
              title: (items) => {
                const x = items[0]?.parsed.x;
                return formatTime(typeof x === 'number' ? new Date(x).toISOString() : undefined, zone.current);
              },
            },
          },
        },
      },
    });
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, [unit, isCount]);

  useEffect(() => {
    const current = chart.current;
    if (!current) return;
    const times = series.labels.map((iso) => Date.parse(iso));
    current.data.datasets = syncDatasets(current.data.datasets as LineDataset[], series.lines, times);
    const x = current.options.scales?.x;
    if (x) {
      x.min = window?.fromMs;
      x.max = window?.toMs;
    }
    current.update('none');
  }, [series, window?.fromMs, window?.toMs]);

  useEffect(() => {
    const current = chart.current;
    const x = current?.options.scales?.x;
    if (!current || !x || !('title' in x) || !x.title) return;
    x.title.text = zoneTitle(timeOptions);
    current.update('none');
  }, [timeOptions]);

  // `theme` is the trigger: it changed the CSS variables read here.
  useEffect(() => {
    const current = chart.current;
    if (!current) return;
    const { text, grid } = themeColors();
    const { x, y } = current.options.scales ?? {};
    for (const scale of [x, y]) {
      if (!scale) continue;
      if (scale.ticks) scale.ticks.color = text;
      if (scale.grid) scale.grid.color = grid;
      if ('title' in scale && scale.title) scale.title.color = text;
    }
    const legend = current.options.plugins?.legend;
    if (legend?.labels) legend.labels.color = text;
    current.update('none');
  }, [theme]);

  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <div class="chart-box">
        <canvas ref={canvas} data-testid={testId} role="img" aria-label={`${title}, ${unit}`} />
      </div>
    </figure>
  );
}

/** Keeps each line's dataset object (and so its legend visibility) when its data changes; adds and drops by key. */
function syncDatasets(existing: LineDataset[], lines: SeriesLine[], times: number[]): LineDataset[] {
  const groups = [...new Set(lines.map((line) => line.group ?? line.key))];
  return lines.map((line) => {
    const data = line.data.map((y, i) => ({ x: times[i] ?? Number.NaN, y }));
    const dataset = existing.find((d) => d.key === line.key);
    if (dataset) {
      dataset.data = data;
      return dataset;
    }
    const { color, dash } = lineStyleOf(groups.indexOf(line.group ?? line.key), line.isDashed ?? false);
    return {
      key: line.key,
      label: line.label,
      data,
      borderColor: color,
      backgroundColor: color,
      borderDash: dash,
      spanGaps: false,
    };
  });
}

/** About four to six ticks over the window, each on a round clock time. */
function tickStepMs(spanMs: number): number {
  const steps = [60_000, 5 * 60_000, 15 * 60_000, 30 * 60_000, 3_600_000, 2 * 3_600_000, 6 * 3_600_000];
  return steps.find((step) => spanMs / step <= 6) ?? 24 * 3_600_000;
}

/** The x axis names the zone once, for the whole chart: "time (CET)". */
const zoneTitle = (options: TimeOptions) => `time (${zoneLabel(new Date(), options)})`;
