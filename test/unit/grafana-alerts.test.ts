import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  GRAFANA_DIR,
  loadAlertRules,
  RULE_TESTS_DIR,
  RULES_FILE,
  ruleTestCoverage,
} from '../support/grafana-artifacts.ts';
import { selectors, thresholdLeftSide } from '../support/promql.ts';

const run = promisify(execFile);
const HOW_TO_INSTALL =
  'promtool is missing: run bash scripts/ensure-tools.sh (it installs the Debian package prometheus, or says what to install).';

/** Runs promtool; a missing binary fails with how to install it, a failed check with promtool's own output. */
async function promtool(...args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await run('promtool', args, { cwd: GRAFANA_DIR, timeout: 60_000 });
    return stdout + stderr;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') throw new Error(HOW_TO_INSTALL, { cause: err });
    throw new Error(`promtool ${args.join(' ')} failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`, { cause: err });
  }
}

const rules = loadAlertRules();

describe('alert rules (grafana/alerts/recon.yml)', () => {
  it('pass promtool check rules, and this suite reads every rule promtool found', async () => {
    const output = await promtool('check', 'rules', RULES_FILE);
    const count = Number(/SUCCESS: (\d+) rules found/.exec(output)?.[1]);
    expect(rules.length).toBe(count);
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
  });

  it('pass their promtool unit tests (grafana/alerts/tests/*.yml)', async () => {
    const files = readdirSync(RULE_TESTS_DIR)
      .filter((f) => f.endsWith('.yml'))
      .map((f) => RULE_TESTS_DIR + f);
    expect(files.length).toBeGreaterThan(0);
    const output = await promtool('test', 'rules', ...files);
    expect(output).not.toContain('FAILED');
  });

  it('have, for every alert, a promtool case where it fires and one where it stays silent', () => {
    const { fires, silent } = ruleTestCoverage();
    const names = rules.map((r) => r.alert);
    expect(names.filter((n) => !fires.has(n))).toEqual([]);
    expect(names.filter((n) => !silent.has(n))).toEqual([]);
  });

  it('carry a severity, and a summary, description and runbook for every alert', () => {
    const text = readFileSync(RULES_FILE, 'utf8');
    const blocks = text.split(/\n\s*- alert: /).slice(1);
    expect(blocks.length).toBe(rules.length);
    for (const block of blocks) {
      const name = block.split('\n')[0];
      expect(block, `${name} severity`).toMatch(/\n\s+severity: (critical|warning)\n/);
      for (const key of ['summary', 'description', 'runbook']) expect(block, `${name} ${key}`).toContain(`${key}:`);
    }
  });

  it('are muted by the example inhibit rules exactly when a source they depend on is down', () => {
    const inhibit = readFileSync(`${GRAFANA_DIR}alerts/alertmanager-inhibit.example.yml`, 'utf8');
    // source="X" → the target regex, as Alertmanager applies it (fully anchored, to the depends_on label).
    const bySource = new Map(
      [...inhibit.matchAll(/'source="(\w+)"'\]\s*\n\s*target_matchers: \['depends_on=~"([^"]+)"'\]/g)].map((m) => [
        m[1]!,
        new RegExp(`^(?:${m[2]})$`),
      ]),
    );
    const blocks = readFileSync(RULES_FILE, 'utf8')
      .split(/\n\s*- alert: /)
      .slice(1);
    const dependsOn = blocks.map((b) => ({
      alert: b.split('\n')[0]!.trim(),
      sources: /depends_on: (\S+)/.exec(b)?.[1]?.split(',') ?? [],
    }));
    const allSources = new Set(dependsOn.flatMap((d) => d.sources));
    expect([...allSources].sort()).toEqual(['dispatch', 'orders', 'rabbitmq', 'recon']);
    expect([...bySource.keys()].sort()).toEqual([...allSources].sort());
    for (const [source, target] of bySource) {
      const muted = dependsOn.filter((d) => target.test(d.sources.join(','))).map((d) => d.alert);
      const expected = dependsOn.filter((d) => d.sources.includes(source)).map((d) => d.alert);
      expect(muted, `ReconSourceDown{source="${source}"} mutes`).toEqual(expected);
    }
    // An alert without depends_on (the source and scrape alerts themselves) is never muted by a source.
    expect([...bySource.values()].some((re) => re.test(''))).toBe(false);
  });

  it('and the example prometheus.yml that loads them pass promtool check config', async () => {
    const output = await promtool('check', 'config', `${GRAFANA_DIR}prometheus.yml`);
    expect(output).toContain('SUCCESS: 1 rule files found');
  });
});

describe('reading expressions', () => {
  it('finds the series selectors of an expression, not its functions, keywords or grouping labels', () => {
    expect(
      selectors(
        'time() - max by (source, le) (recon_source_last_success_timestamp_seconds{job="recon", kind=~"a|b"} offset 10m) > 120',
      ),
    ).toEqual(['recon_source_last_success_timestamp_seconds{job="recon", kind=~"a|b"}']);
    expect(
      selectors('sum by (q) (rate(x_total[5m])) and on (queue) group by (queue) (up{job="recon"}) or absent(y)'),
    ).toEqual(['x_total', 'up{job="recon"}', 'y']);
  });

  it('takes the compared side of a plain threshold, and nothing from set operations or nested comparisons', () => {
    expect(thresholdLeftSide('max by (kind) (x{kind="a"}) > 300')).toBe('max by (kind) (x{kind="a"})');
    expect(thresholdLeftSide('up{job="recon"} == 0')).toBe('up{job="recon"}');
    expect(thresholdLeftSide('(a > 0) or b > 0')).toBeUndefined();
    expect(thresholdLeftSide('a > 1 - b > 2')).toBeUndefined();
    expect(thresholdLeftSide('absent(up{job="recon"})')).toBeUndefined();
  });

  it('reads inline and block-scalar rule expressions', () => {
    const byName = new Map(rules.map((r) => [r.alert, r.expr]));
    expect(byName.get('ReconDown')).toBe('up{job="recon"} == 0');
    expect(byName.get('ReconDeadLettersArriving')).toMatch(/^\(max by \(queue, reason\).*== 1\)$/);
  });
});
