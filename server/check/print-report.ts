import type { CheckItem, CheckReport, CheckStatus, Section } from './report.ts';

// The report as plain text: a heading per section, one line per item with its mark first so the eye (or grep)
// finds what is MISSING, and the fix to run on the line below.

const MARKS: Record<CheckStatus, string> = {
  ok: 'ok',
  missing: 'MISSING',
  error: 'ERROR',
  warn: 'warn',
  info: 'info',
  on: 'on',
  off: 'off',
};

const HEADINGS: Record<Section, string> = {
  config: 'the watched-system file',
  databases: 'databases',
  order: 'order (flows[0].order)',
  outbox: 'outbox (flows[0].outbox)',
  dispatch: 'dispatch (flows[0].dispatch)',
  inbox: 'inbox (flows[0].inbox)',
  broker: 'broker',
  features: 'features',
};

const MARK_WIDTH = 8;

export function printReport(report: CheckReport, options: { isStrict?: boolean } = {}): string {
  const lines = [`recon check: ${report.origin}`];
  let section: Section | undefined;
  for (const item of report.items) {
    if (item.section !== section) {
      section = item.section;
      lines.push('', HEADINGS[section]);
    }
    lines.push(`  ${MARKS[item.status].padEnd(MARK_WIDTH)} ${describe(item)}`);
    if (item.fix) lines.push(`  ${' '.repeat(MARK_WIDTH)}   run: ${item.fix}`);
  }
  lines.push('', summary(report, options.isStrict ?? false));
  return `${lines.join('\n')}\n`;
}

function describe(item: CheckItem): string {
  const subject = item.kind === 'config' ? item.name || '(the file)' : `${item.kind} ${item.name}`;
  const type = item.sqlType ? `: ${item.sqlType}` : '';
  const paths = item.kind === 'config' || item.configPaths.length === 0 ? '' : ` [${item.configPaths.join(', ')}]`;
  return `${subject}${type}${paths}${item.detail ? ` — ${item.detail}` : ''}`;
}

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function summary({ errors, warnings, exitCode }: CheckReport, isStrict: boolean): string {
  if (errors > 0)
    return `${count(errors, 'problem')} (MISSING or ERROR), ${count(warnings, 'warning')}: exit ${exitCode}. Recon would not work as configured.`;
  if (warnings > 0)
    return isStrict
      ? `no problems, ${count(warnings, 'warning')}: exit ${exitCode} (--strict fails on warnings).`
      : `no problems, ${count(warnings, 'warning')}: exit ${exitCode}. Warnings do not fail the check: Recon's results are the same, but a missing index makes its reads scan whole tables, and a missing queue shows nothing until it is declared (--strict fails on warnings).`;
  return `all is well: exit ${exitCode}.`;
}
