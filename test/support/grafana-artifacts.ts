import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Reads what grafana/ ships (dashboards, alert rules, their promtool tests) into plain lists the tests can check:
// every PromQL expression with where it came from (promql.ts reads inside the expressions).

export const GRAFANA_DIR = fileURLToPath(new URL('../../grafana/', import.meta.url));
export const RULES_FILE = `${GRAFANA_DIR}alerts/recon.yml`;
export const RULE_TESTS_DIR = `${GRAFANA_DIR}alerts/tests/`;

export interface GrafanaTarget {
  refId: string;
  expr: string;
  legendFormat?: string;
  instant?: boolean;
  datasource?: { type?: string; uid?: string };
}

export interface GrafanaPanel {
  id: number;
  type: string;
  title: string;
  description?: string;
  gridPos?: { x: number; y: number; w: number; h: number };
  datasource?: { type?: string; uid?: string };
  targets?: GrafanaTarget[];
  panels?: GrafanaPanel[];
}

export interface Dashboard {
  file: string;
  json: Record<string, unknown> & { uid?: unknown; panels: GrafanaPanel[]; templating?: { list: TemplateVariable[] } };
}

export interface TemplateVariable {
  name: string;
  type: string;
  query?: unknown;
  datasource?: { type?: string; uid?: string };
  current?: { text?: unknown; value?: unknown };
}

export interface PanelQuery {
  dashboard: string;
  panel: GrafanaPanel;
  target: GrafanaTarget;
}

export interface AlertRule {
  alert: string;
  expr: string;
}

export function loadDashboards(): Dashboard[] {
  const dir = `${GRAFANA_DIR}dashboards/`;
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((file) => ({ file, json: JSON.parse(readFileSync(dir + file, 'utf8')) }));
}

/** Every panel, with the panels of collapsed rows (which nest them) flattened in. */
export function allPanels(dashboard: Dashboard): GrafanaPanel[] {
  return dashboard.json.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

/** The panels under an expanded row: those placed below it and above the next row. */
export function rowPanels(dashboard: Dashboard, title: string): GrafanaPanel[] {
  const rows = dashboard.json.panels.filter((p) => p.type === 'row');
  const row = rows.find((p) => p.title === title);
  if (!row) return [];
  const top = row.gridPos?.y ?? 0;
  const bottom = Math.min(...rows.map((r) => r.gridPos?.y ?? 0).filter((y) => y > top), Number.POSITIVE_INFINITY);
  return dashboard.json.panels.filter(
    (p) => p.type !== 'row' && (p.gridPos?.y ?? -1) > top && (p.gridPos?.y ?? 0) < bottom,
  );
}

export function panelQueries(dashboards: Dashboard[] = loadDashboards()): PanelQuery[] {
  return dashboards.flatMap((dashboard) =>
    allPanels(dashboard).flatMap((panel) =>
      (panel.targets ?? []).map((target) => ({ dashboard: dashboard.file, panel, target })),
    ),
  );
}

/**
 * The alerting rules of grafana/alerts/recon.yml. The project has no YAML dependency, and the file keeps to one
 * shape: `- alert: Name` then `expr:` either inline or as a block scalar (`>-`, `|`) indented below it. The tests
 * cross-check the count with promtool's, so a rule this reader missed fails loudly.
 */
export function loadAlertRules(file = RULES_FILE): AlertRule[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const rules: AlertRule[] = [];
  let alert: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const name = /^\s*- alert:\s*(\S+)\s*$/.exec(line);
    if (name) alert = name[1];
    const expr = /^(\s*)expr:\s*(.*)$/.exec(line);
    if (!expr || !alert) continue;
    const [, indent = '', rest = ''] = expr;
    let text = rest.trim();
    if (/^[>|][-+]?$/.test(text)) {
      const block: string[] = [];
      while (i + 1 < lines.length && (lines[i + 1]!.trim() === '' || indentOf(lines[i + 1]!) > indent.length)) {
        block.push(lines[++i]!.trim());
      }
      text = block.join(' ').trim();
    } else if (/^["'].*["']$/.test(text)) {
      text = text.slice(1, -1);
    }
    rules.push({ alert, expr: text });
    alert = undefined;
  }
  return rules;
}

const indentOf = (line: string) => line.length - line.trimStart().length;

/** Alert names that a promtool test file expects to fire somewhere, and those it asserts stay silent somewhere. */
export function ruleTestCoverage(): { fires: Set<string>; silent: Set<string> } {
  const fires = new Set<string>();
  const silent = new Set<string>();
  for (const file of readdirSync(RULE_TESTS_DIR).filter((f) => f.endsWith('.yml'))) {
    const text = readFileSync(RULE_TESTS_DIR + file, 'utf8');
    for (const m of text.matchAll(/alertname:\s*(\S+)\s*\n\s*exp_alerts:\s*(\[\])?/g)) {
      (m[2] ? silent : fires).add(m[1]!);
    }
  }
  return { fires, silent };
}
