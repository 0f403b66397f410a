import { describe, expect, it } from 'vitest';
import { FINDING_KINDS } from '../../reconcilers/registry.ts';
import { createMetrics } from '../../server/metrics/registry.ts';
import { createMetricsState } from '../../server/metrics/state.ts';
import { allPanels, loadAlertRules, loadDashboards, panelQueries, rowPanels } from '../support/grafana-artifacts.ts';
import { GRAFANA_BUILTINS, metricNames, reconMetricNames, variablesIn } from '../support/promql.ts';

const dashboards = loadDashboards();
const rules = loadAlertRules();

/** What Recon's /metrics exposes: its own metrics and, as its process registers them, the runtime ones. */
async function registeredMetrics() {
  const metrics = await createMetrics(createMetricsState(), { runtimeMetrics: true }).registry.getMetricsAsJSON();
  return {
    names: new Set(metrics.map((m) => m.name)),
    histograms: new Set(metrics.filter((m) => String(m.type) === 'histogram').map((m) => m.name)),
  };
}

describe('metric names in dashboards and alert rules', () => {
  it('ships at least one dashboard with queries, and alert rules', () => {
    expect(dashboards.map((d) => d.file)).toContain('recon-consistency.json');
    expect(panelQueries(dashboards).length).toBeGreaterThan(10);
    expect(rules.length).toBeGreaterThan(5);
  });

  it('names only recon_ metrics that Recon registers (a renamed metric fails here, not as "No data")', async () => {
    const { names, histograms } = await registeredMetrics();
    const used = [
      ...panelQueries(dashboards).map((q) => ({
        where: `${q.dashboard} panel ${q.panel.id} ${q.target.refId}`,
        expr: q.target.expr,
      })),
      ...rules.map((r) => ({ where: `alert ${r.alert}`, expr: r.expr })),
    ];
    const unknown = used.flatMap(({ where, expr }) =>
      reconMetricNames(expr, histograms)
        .filter((name) => !names.has(name))
        .map((name) => `${where}: ${name}`),
    );
    expect(unknown).toEqual([]);
    // The dashboards cover every Recon metric: a metric nobody charts is one nobody watches.
    const charted = new Set(panelQueries(dashboards).flatMap((q) => reconMetricNames(q.target.expr, histograms)));
    expect([...names].filter((n) => n.startsWith('recon_') && !charted.has(n))).toEqual([]);
  });

  it("names only metrics Recon's scrape exposes, apart from RabbitMQ's own and Prometheus's up", async () => {
    const { names, histograms } = await registeredMetrics();
    const isElsewhere = (name: string) => name.startsWith('rabbitmq_') || name === 'up';
    const unknown = panelQueries(dashboards).flatMap(({ dashboard, panel, target }) =>
      metricNames(target.expr, histograms)
        .filter((name) => !isElsewhere(name) && !names.has(name))
        .map((name) => `${dashboard} panel ${panel.id} ${target.refId}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });

  it('uses only finding kinds that exist in kind="…" and kind=~"…" matchers', () => {
    const exprs = [...panelQueries(dashboards).map((q) => q.target.expr), ...rules.map((r) => r.expr)];
    const kinds = exprs.flatMap((expr) =>
      [...expr.matchAll(/kind\s*=~?\s*"([^"]*)"/g)].flatMap((m) => (m[1] ?? '').split('|')),
    );
    expect(kinds.length).toBeGreaterThan(0);
    expect(kinds.filter((k) => !(FINDING_KINDS as readonly string[]).includes(k))).toEqual([]);
  });
});

describe('the "Recon itself" row', () => {
  const consistency = dashboards.find((d) => d.file === 'recon-consistency.json')!;
  const exprs = () => rowPanels(consistency, 'Recon itself').flatMap((p) => (p.targets ?? []).map((t) => t.expr));

  it("charts Recon's event-loop lag, heap used and reconciliation cycle duration", () => {
    expect(exprs().some((e) => /\bnodejs_eventloop_lag_p99_seconds\b/.test(e))).toBe(true);
    expect(exprs().some((e) => /\bnodejs_heap_size_used_bytes\b/.test(e))).toBe(true);
    // A reconciliation cycle is one poll of the databases (recordCycle in server/metrics/refresher.ts).
    expect(exprs().some((e) => /recon_poll_duration_seconds_bucket\{[^}]*source="databases"/.test(e))).toBe(true);
  });

  it('reads each replica apart: the runtime is per process, so it is never summed across instances', () => {
    const runtime = exprs().filter((e) => /\bnodejs_|\bprocess_/.test(e));
    expect(runtime.length).toBeGreaterThan(0);
    expect(runtime.filter((e) => !/by \(instance\)/.test(e))).toEqual([]);
  });
});

describe.each(dashboards)('dashboard $file', ({ json }) => {
  const panels = allPanels({ file: '', json });
  const variables = json.templating?.list ?? [];

  it('is in "export for sharing externally" form: __inputs with DS_PROMETHEUS, __requires, a stable uid', () => {
    expect(json.__inputs).toEqual([
      expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' }),
    ]);
    expect(json.__requires).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'grafana', id: 'grafana' }),
        expect.objectContaining({ type: 'datasource', id: 'prometheus' }),
      ]),
    );
    const panelTypes = new Set(panels.filter((p) => p.type !== 'row').map((p) => p.type));
    const required = new Set(
      (json.__requires as Array<{ type: string; id: string }>).filter((r) => r.type === 'panel').map((r) => r.id),
    );
    expect([...panelTypes].filter((t) => !required.has(t))).toEqual([]);
    expect(json.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(json.id).toBeNull();
    expect(json.schemaVersion).toBeGreaterThanOrEqual(36);
  });

  it('has a datasource variable of type datasource for prometheus', () => {
    expect(variables).toContainEqual(
      expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' }),
    );
  });

  it('never hard-codes a datasource uid: every panel, query and query variable uses the datasource variable', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a JavaScript template.
    const DATASOURCE = '${datasource}';
    const refs = [
      ...panels.filter((p) => p.type !== 'row').map((p) => ({ where: `panel ${p.id}`, ds: p.datasource })),
      ...panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: `panel ${p.id} ${t.refId}`, ds: t.datasource }))),
      ...variables.filter((v) => v.type === 'query').map((v) => ({ where: `variable ${v.name}`, ds: v.datasource })),
    ];
    expect(refs.filter((r) => r.ds?.uid !== DATASOURCE)).toEqual([]);
    // Grafana 10.4–12.1 rewrites ${datasource} to ${DS_PROMETHEUS} on "Export for sharing externally"
    // (grafana/grafana#85606). Only __inputs and the datasource variable's default may name the input.
    const { __inputs: _inputs, templating: _templating, ...rest } = json;
    expect(JSON.stringify(rest)).not.toContain('DS_PROMETHEUS');
  });

  it('gives every panel a stable unique id, and every data panel a description and at least one query', () => {
    const ids = panels.map((p) => p.id);
    expect(ids.every((id) => Number.isInteger(id) && id > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const dataPanels = panels.filter((p) => p.type !== 'row');
    expect(dataPanels.filter((p) => !p.description || p.description.length < 60).map((p) => p.title)).toEqual([]);
    expect(dataPanels.filter((p) => !p.targets?.length).map((p) => p.title)).toEqual([]);
    for (const p of dataPanels) {
      const refIds = (p.targets ?? []).map((t) => t.refId);
      expect(new Set(refIds).size, `panel ${p.id} refIds`).toBe(refIds.length);
    }
  });

  it('uses only template variables it defines, or Grafana built-ins', () => {
    const known = new Set([...variables.map((v) => v.name), ...Object.keys(GRAFANA_BUILTINS)]);
    const used = panels.flatMap((p) => (p.targets ?? []).flatMap((t) => variablesIn(t.expr)));
    expect(used.filter((name) => !known.has(name))).toEqual([]);
  });
});
