import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTraffic, type TrafficSummary } from '../../demo/traffic.ts';
import { loadConfig } from '../../server/config.ts';
import { type Recon, startRecon } from '../../server/recon.ts';
import { type DemoHarness, startDemo, testLog } from '../support/demo-harness.ts';
import { loadAlertRules, loadDashboards, panelQueries, RULES_FILE } from '../support/grafana-artifacts.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { freePort, type PrometheusServer, type PromSample, startPrometheus } from '../support/prometheus.ts';
import { GRAFANA_BUILTINS, selectors, substituteVariables, thresholdLeftSide } from '../support/promql.ts';
import { waitFor } from '../support/wait-for.ts';

// Every PromQL expression the dashboards and the alert rules ship, evaluated by a real Prometheus that scrapes a
// real, listening Recon (watching the reference system with traffic and faults) and the real RabbitMQ. A metric or
// label renamed on either side turns into a failing test here instead of a panel that silently says "No data".

/** What an operator would pick in the dashboard's variables; the scrape jobs below carry the same names. */
const VARIABLES: Record<string, string> = { ...GRAFANA_BUILTINS, job: 'recon', rabbitmq_job: 'rabbitmq' };

const panelCases = panelQueries().map(({ dashboard, panel, target }) => ({
  name: `${dashboard} panel ${panel.id} "${panel.title}" query ${target.refId}`,
  expr: substituteVariables(target.expr, VARIABLES),
  legend: target.legendFormat ?? '',
}));
const ruleCases = loadAlertRules().map((rule) => ({ name: rule.alert, expr: rule.expr }));

describe('dashboards and alert rules against a real Prometheus scraping Recon and RabbitMQ', () => {
  let env: IsolatedEnv;
  let demo: DemoHarness;
  let recon: Recon;
  let prometheus: PrometheusServer;
  let traffic: Promise<TrafficSummary> | undefined;
  const stopTraffic = new AbortController();

  beforeAll(async () => {
    env = await createIsolatedEnv('grafana');
    demo = await startDemo(env, {
      faults: {
        'lost-dispatch': 0.1,
        'non-idempotent': 0.1,
        poison: 0.1,
        'relay-crash-before-confirm': 0.05,
        'consumer-crash-before-ack': 0.05,
      },
    });
    traffic = runTraffic({
      ratePerSecond: 10,
      faults: demo.faults,
      orders: demo.system.orders,
      lostDispatch: demo.system.lostDispatch,
      log: testLog(),
      signal: stopTraffic.signal,
    });

    const port = await freePort();
    const config = loadConfig({
      PORT: String(port),
      RECON_DATABASE_URL: env.reconDatabaseUrl,
      ORDERS_DATABASE_URL: env.ordersDatabaseUrl,
      DISPATCH_DATABASE_URL: env.dispatchDatabaseUrl,
      RABBITMQ_URL: env.rabbitmqUrl,
      RABBITMQ_MANAGEMENT_URL: env.managementUrl,
      RECON_POLL_INTERVAL_SECONDS: '1',
      RECON_BROKER_POLL_INTERVAL_SECONDS: '1',
      // Polls faster than the broker's 5 s statistics refresh (the default floor): a faster test.
      RECON_BROKER_STATISTICS_INTERVAL_SECONDS: '1',
      RECON_GRACE_SECONDS: '2',
      RECON_OVERLAP_SECONDS: '10',
    });
    recon = await startRecon(config, { log: testLog(), listen: true });
    // Nobody presses a repair button in this run, so no action settles by itself: record one outcome the way the
    // action runner does, on the registry's own counter, so the action panels have a series to show.
    recon.metrics.actions.inc({ action: 'redeliver', outcome: 'done' });

    const rabbitmq = `${new URL(env.managementUrl).hostname}:15692`;
    prometheus = await startPrometheus({
      ruleFiles: [RULES_FILE],
      jobs: [
        { job: 'recon', targets: [`127.0.0.1:${port}`] },
        // The aggregated endpoint: no queue or vhost labels at any queue count (rabbitmq_prometheus default).
        { job: 'rabbitmq', targets: [rabbitmq] },
        // Per-queue numbers come only from the detailed endpoint; this test's vhost keeps the scrape small.
        {
          job: 'rabbitmq-detailed',
          targets: [rabbitmq],
          metricsPath: '/metrics/detailed',
          params: { family: ['queue_coarse_metrics'], vhost: [env.vhost] },
        },
      ],
    });

    await waitFor(
      'Prometheus to scrape Recon and both RabbitMQ endpoints (rabbitmq_prometheus must be enabled: bash scripts/services.sh)',
      async () => {
        const targets = await prometheus.targets();
        return targets.length === 3 && targets.every((t) => t.health === 'up');
      },
      { timeoutMs: 30_000 },
    );
    // "Returns data" only means something once the faults and the traffic show: open findings, dead letters in
    // custody, polled queue depths, dispatch latencies, and a few scrapes of everything (rate() needs two samples).
    const phenomena = [
      `recon_findings_open{job="recon", kind="order-without-dispatch"} > 0`,
      `recon_findings_open{job="recon", kind="duplicate-dispatch"} > 0`,
      `recon_dead_letters{job="recon"} > 0`,
      `recon_queue_messages{job="recon"}`,
      `rabbitmq_detailed_queue_messages_ready{job="rabbitmq-detailed"}`,
      `increase(recon_order_to_dispatch_seconds_count{job="recon"}[1m]) > 0`,
      `count_over_time(up{job="recon"}[1m]) > 2`,
    ];
    await waitFor(
      'the faults to appear in Prometheus',
      async () => (await Promise.all(phenomena.map((e) => prometheus.query(e)))).every((r) => r.length > 0),
      { timeoutMs: 90_000, intervalMs: 1_000 },
    ).catch(async (err) => {
      const missing = [];
      for (const e of phenomena) if ((await prometheus.query(e)).length === 0) missing.push(e);
      throw new Error(`${(err as Error).message}; still empty: ${missing.join(' | ')}`, { cause: err });
    });
  }, 180_000);

  afterAll(async () => {
    stopTraffic.abort();
    await traffic?.catch(() => undefined);
    // Prometheus first: it is a child process and must never outlive the test, whatever fails below.
    await prometheus?.stop();
    await recon?.stop();
    await demo?.stop();
    await env?.destroy();
  }, 60_000);

  it('scrapes per-queue numbers only from the detailed endpoint: the aggregated one has no queue labels', async () => {
    const aggregated = await prometheus.query('rabbitmq_queue_messages_ready{job="rabbitmq"}');
    expect(aggregated.length).toBeGreaterThan(0);
    expect(aggregated.filter((s) => 'queue' in s.metric || 'vhost' in s.metric)).toEqual([]);
    const detailed = await prometheus.query(`rabbitmq_detailed_queue_messages_ready{vhost="${env.vhost}"}`);
    expect(detailed.map((s) => s.metric.queue)).toContain('dispatch.order-created');
  });

  it('offers the dashboards variable defaults among the values their queries find', async () => {
    for (const { json } of loadDashboards()) {
      for (const variable of json.templating?.list ?? []) {
        if (variable.type !== 'query') continue;
        const query = typeof variable.query === 'string' ? variable.query : (variable.query as { query: string }).query;
        const [, metric, label] = /^label_values\((\w+),\s*(\w+)\)$/.exec(query) ?? [];
        expect(metric, `variable ${variable.name}: ${query}`).toBeDefined();
        expect(await prometheus.labelValues(label!, metric!)).toContain(VARIABLES[variable.name]);
      }
    }
  });

  it.each(panelCases.map((c) => [c.name, c] as const))('%s returns data', async (_name, { expr, legend }) => {
    const result = await prometheus.query(expr);
    expect(result.length, `no series for: ${expr}`).toBeGreaterThan(0);
    expect(result.some(hasFiniteValue), `only NaN/Inf for: ${expr}`).toBe(true);
    // A legend naming a label the series lack renders as an empty name: a renamed label, caught here.
    for (const [, label] of legend.matchAll(/\{\{\s*(\w+)\s*\}\}/g)) {
      expect(
        result.filter((s) => !(label! in s.metric)).map((s) => s.metric),
        `legend {{${label}}} of ${expr}`,
      ).toEqual([]);
    }
  });

  it.each(ruleCases.map((c) => [c.name, c] as const))(
    'alert %s evaluates to data, or its inputs do',
    async (_name, { expr }) => {
      if ((await prometheus.query(expr)).length > 0) return;
      // Not firing in this run is the normal case for an alert. Then what it compares must exist: the left side
      // of a plain threshold (`max by (kind) (…) > 300` → `max by (kind) (…)`), or else every series selector in it
      // (dead-letter arrival, absent(), or-chains), evaluated without its range or offset.
      const left = thresholdLeftSide(expr);
      if (left) {
        expect((await prometheus.query(left)).length, `no series for the left side: ${left}`).toBeGreaterThan(0);
        return;
      }
      for (const selector of selectors(expr)) {
        expect((await prometheus.query(selector)).length, `no series for ${selector} in ${expr}`).toBeGreaterThan(0);
      }
    },
  );

  it('loads every alert rule into Prometheus and evaluates each without an error', async () => {
    const rules = await waitFor('every rule to be evaluated once', async () => {
      const loaded = await prometheus.rules();
      return loaded.every((r) => r.health !== 'unknown') && loaded;
    });
    expect(rules.map((r) => r.name).sort()).toEqual(ruleCases.map((r) => r.name).sort());
    expect(rules.filter((r) => r.type !== 'alerting' || r.health !== 'ok')).toEqual([]);
  });
});

const hasFiniteValue = (sample: PromSample) => Number.isFinite(Number(sample.value[1]));
