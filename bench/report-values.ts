import type { Measured } from './measure.ts';

/** Formatting and medians for the report's tables. */
export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
export const int = (n: number) => Math.round(n).toLocaleString('en');
export const secs = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));
export const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
export const ratio = (n: number) => (n >= 10 ? `${n.toFixed(0)}x` : `${n.toFixed(2)}x`);
export const verdict = (ok: boolean) => (ok ? '**pass**' : '**FAIL**');
export const of = (runs: Measured[], pick: (m: Measured) => number) => median(runs.map(pick));
export const time = (runs: Measured[]) => of(runs, (m) => m.result.seconds);
export const portRows = (m: Measured) => (m.result.details.portRows as number | undefined) ?? m.result.rowsCompared;
export const exact = (runs: Measured[]) => (runs.every((m) => m.exactness.isExact) ? 'yes' : 'NO');
export const growth = (m: Measured) => m.result.peakRssBytes - m.result.startRssBytes;

/** A markdown table: a header row, an alignment row ('l' or 'r' per column), then the rows. */
export function table(header: string[], align: string, rows: string[][]): string[] {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line([...align].map((a) => (a === 'r' ? '--:' : '---'))), ...rows.map(line), ''];
}
