import type { DisruptionRecord } from './disruptions.ts';
import type { ScoreLine } from './score-types.ts';

export interface SoakReport {
  startedAt: Date;
  finishedAt: Date;
  settings: Record<string, string>;
  disruptions: DisruptionRecord[];
  ledgerCounts: Record<string, number>;
  lines: ScoreLine[];
  figures: string[];
}

const clock = (at: Date, t0: Date) => `+${((at.getTime() - t0.getTime()) / 1000).toFixed(0)} s`;
const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** SOAK.md: the latest run only. */
export function renderReport(r: SoakReport): string {
  const failed = r.lines.filter((l) => !l.isPass);
  return [
    '# Chaos soak: latest run',
    '',
    `${r.startedAt.toISOString()} → ${r.finishedAt.toISOString()}: **${failed.length === 0 ? 'PASS' : `FAIL (${failed.length} scores)`}**`,
    'Written by `npm run soak` (bench/soak/); each run replaces this file.',
    '',
    '## Settings',
    ...Object.entries(r.settings).map(([k, v]) => `- ${k}: ${v}`),
    '',
    '## Disruption schedule',
    '| at | until | step | what happened |',
    '|---|---|---|---|',
    ...r.disruptions.map(
      (d) =>
        `| ${clock(d.startedAt, r.startedAt)} | ${d.endedAt ? clock(d.endedAt, r.startedAt) : '–'} | ${cell(d.step)} | ${cell(d.detail)} |`,
    ),
    '',
    '## Ground-truth ledger',
    ...Object.entries(r.ledgerCounts).map(([k, n]) => `- ${k}: ${n}`),
    '',
    '## Scores',
    '| score | value | pass |',
    '|---|---|---|',
    ...r.lines.map((l) => `| ${cell(l.score)} | ${cell(l.value)} | ${l.isPass ? 'yes' : '**NO**'} |`),
    '',
    '## Figures',
    ...r.figures.map((f) => `- ${f}`),
    '',
    '## What failed',
    ...(failed.length ? failed.map((l) => `- ${l.score}: ${l.detail ?? l.value}`) : ['Nothing.']),
    '',
    '## Notes',
    ...r.lines.filter((l) => l.isPass && l.detail).map((l) => `- ${l.score}: ${l.detail}`),
    '',
  ].join('\n');
}
