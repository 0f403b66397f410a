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
}

type LineDataset = ChartDataset<'line', Array<number | null>> & { key: string };

/**
 * One line chart, created once and updated in place (`update('none')`): a new chart per live event would flicker,
 * lose the legend's hidden lines and leak canvases.
 */
export function LineChart({ testId, title, series, unit, isCount = false }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'line', Array<number | null>, string> | null>(null);
  const theme = useTheme();
  // The labels are ISO times; the axis and the tooltip write them in the UI's zone, read through a ref because the
  // chart keeps the callbacks it was created with.
  const timeOptions = useTimeOptions();
  const zone = useRef(timeOptions);
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
          x: {
            ticks: {
              color: colors.text,
              maxTicksLimit: 6,
              maxRotation: 0,
              callback(value) {
                return formatClock(this.getLabelForValue(Number(value)), zone.current.zone);
              },
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
          tooltip: { callbacks: { title: (items) => formatTime(items[0]?.label, zone.current) } },
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
    current.data.labels = series.labels;
    current.data.datasets = syncDatasets(current.data.datasets as LineDataset[], series.lines);
    current.update('none');
  }, [series]);

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
function syncDatasets(existing: LineDataset[], lines: SeriesLine[]): LineDataset[] {
  const groups = [...new Set(lines.map((line) => line.group ?? line.key))];
  return lines.map((line) => {
    const dataset = existing.find((d) => d.key === line.key);
    if (dataset) {
      dataset.data = line.data;
      return dataset;
    }
    const { color, dash } = lineStyleOf(groups.indexOf(line.group ?? line.key), line.isDashed ?? false);
    return {
      key: line.key,
      label: line.label,
      data: line.data,
      borderColor: color,
      backgroundColor: color,
      borderDash: dash,
      spanGaps: false,
    };
  });
}

/** The x axis names the zone once, for the whole chart: "time (CET)". */
const zoneTitle = (options: TimeOptions) => `time (${zoneLabel(new Date(), options)})`;
