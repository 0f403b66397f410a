import type { ChartDataset } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';
import type { Series, SeriesLine } from '../lib/chart-series.ts';
import { Chart, PALETTE, themeColors } from '../lib/chart-setup.ts';
import { useTheme } from '../lib/theme.ts';

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
          x: { ticks: { color: colors.text, maxTicksLimit: 8, maxRotation: 0 }, grid: { color: colors.grid } },
          y: {
            beginAtZero: true,
            title: { display: true, text: unit, color: colors.text },
            ticks: { color: colors.text, ...(isCount ? { precision: 0 } : {}) },
            grid: { color: colors.grid },
          },
        },
        plugins: { legend: { labels: { color: colors.text, boxWidth: 12, boxHeight: 2 } } },
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
    const color = PALETTE[groups.indexOf(line.group ?? line.key) % PALETTE.length]!;
    return {
      key: line.key,
      label: line.label,
      data: line.data,
      borderColor: color,
      backgroundColor: color,
      borderDash: line.isDashed ? [6, 4] : [],
      spanGaps: false,
    };
  });
}
