import type { Sample } from './sampler.ts';
import { percentile, type ScoreLine } from './score-types.ts';

/** Resident memory at the end over the start of a replica's steady run; beyond it the soak calls it growth. */
const MAX_GROWTH = 1.5;
const WARM_UP_SAMPLES = 3;

const mb = (bytes: number | undefined) => (bytes === undefined ? '–' : `${(bytes / 1024 / 1024).toFixed(0)} MB`);

/** The scrape and /api/overview always answered; memory did not grow over each replica's last uninterrupted run. */
export function scoreHealth(samples: Sample[]): ScoreLine[] {
  const asked = samples.filter((s) => s.isScrapeOk !== undefined);
  const scrapeFailed = asked.filter((s) => !s.isScrapeOk);
  const overviewFailed = asked.filter((s) => !s.isOverviewOk);
  const lines: ScoreLine[] = [
    {
      score: 'health: /metrics scrape always answered',
      value: `${asked.length - scrapeFailed.length}/${asked.length}; p95 ${
        percentile(
          asked.map((s) => s.scrapeMs ?? 0),
          95,
        ) ?? '–'
      } ms`,
      isPass: asked.length > 0 && scrapeFailed.length === 0,
      detail: scrapeFailed.length ? failures(scrapeFailed) : undefined,
    },
    {
      score: 'health: /api/overview always answered (signed-in viewer)',
      value: `${asked.length - overviewFailed.length}/${asked.length}; p95 ${
        percentile(
          asked.map((s) => s.overviewMs ?? 0),
          95,
        ) ?? '–'
      } ms`,
      isPass: asked.length > 0 && overviewFailed.length === 0,
      detail: overviewFailed.length ? failures(overviewFailed) : undefined,
    },
  ];
  for (const replica of [...new Set(samples.map((s) => s.replica))]) {
    const mine = samples.filter((s) => s.replica === replica);
    // Only since its last restart: a killed replica starts again from a small heap.
    const lastGap = mine.findLastIndex((s) => s.rssBytes === undefined);
    const run = mine.slice(lastGap + 1 + WARM_UP_SAMPLES).map((s) => s.rssBytes!);
    const quarter = Math.max(1, Math.floor(run.length / 4));
    const early = percentile(run.slice(0, quarter), 50);
    const late = percentile(run.slice(-quarter), 50);
    const growth = early && late ? late / early : undefined;
    lines.push({
      score: `health: ${replica} memory (no growth)`,
      value: `start ${mb(early)}, end ${mb(late)}, peak ${mb(run.length ? Math.max(...run) : undefined)} over ${run.length} samples`,
      isPass: growth === undefined || growth <= MAX_GROWTH,
      detail: growth !== undefined && growth > MAX_GROWTH ? `grew ×${growth.toFixed(2)}` : undefined,
    });
  }
  return lines;
}

function failures(samples: Sample[]): string {
  return samples
    .slice(0, 5)
    .map((s) => `${s.at.toISOString()} ${s.replica}: ${s.detail ?? 'failed'}`)
    .join('; ');
}

/** Mean duration per source of the polls the leader ran, from its recon_poll_duration_seconds histogram. */
export function pollDurations(metricsText: string): string {
  const sums = new Map<string, { sum: number; count: number }>();
  for (const m of metricsText.matchAll(/^recon_poll_duration_seconds_(sum|count)\{source="([^"]+)"\} (\S+)$/gm)) {
    const entry = sums.get(m[2]!) ?? { sum: 0, count: 0 };
    entry[m[1] as 'sum' | 'count'] = Number(m[3]);
    sums.set(m[2]!, entry);
  }
  return [...sums]
    .map(([source, { sum, count }]) => `${source} ${count ? ((sum / count) * 1000).toFixed(0) : '–'} ms × ${count}`)
    .join(', ');
}
