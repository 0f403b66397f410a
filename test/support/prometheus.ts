import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './wait-for.ts';

// A real Prometheus server for one test file: its own config, its own TSDB in a temp dir, its own free port.
// Never the packaged daemon on 9090 (scripts/ensure-tools.sh keeps that one off).

const HOW_TO_INSTALL =
  'The prometheus binary is missing: run bash scripts/ensure-tools.sh (as root on Debian it installs the package `prometheus`; elsewhere it says what to install).';

export interface ScrapeJob {
  job: string;
  targets: string[];
  metricsPath?: string;
  params?: Record<string, string[]>;
}

export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface PrometheusServer {
  url: string;
  /** GET /api/v1/query (instant, now); throws on a PromQL error with the expression in the message. */
  query(expr: string): Promise<PromSample[]>;
  targets(): Promise<Array<{ labels: Record<string, string>; health: string; lastError: string }>>;
  rules(): Promise<Array<{ name: string; type: string; health: string; lastError?: string; query: string }>>;
  /** GET /api/v1/label/<label>/values?match[]=<selector>: what Grafana's label_values(selector, label) offers. */
  labelValues(label: string, selector: string): Promise<string[]>;
  /** Stops the server (SIGTERM, then SIGKILL after 10 s) and removes its data. Safe to call twice. */
  stop(): Promise<void>;
}

/** A port nothing listens on right now (the OS picks it; the caller binds it soon after). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startPrometheus(options: {
  jobs: ScrapeJob[];
  ruleFiles?: string[];
  scrapeIntervalSeconds?: number;
}): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'recon-prometheus-'));
  const interval = `${options.scrapeIntervalSeconds ?? 1}s`;
  const config = {
    global: { scrape_interval: interval, evaluation_interval: interval, scrape_timeout: interval },
    rule_files: options.ruleFiles ?? [],
    scrape_configs: options.jobs.map((job) => ({
      job_name: job.job,
      metrics_path: job.metricsPath ?? '/metrics',
      ...(job.params ? { params: job.params } : {}),
      static_configs: [{ targets: job.targets }],
    })),
  };
  // JSON is YAML: no YAML library needed to write the config.
  writeFileSync(join(dir, 'prometheus.yml'), JSON.stringify(config, null, 2));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;

  const child = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  // If the test process dies without afterAll, do not leave a server behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (err) =>
      reject((err as NodeJS.ErrnoException).code === 'ENOENT' ? new Error(HOW_TO_INSTALL, { cause: err }) : err),
    );
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', killOnExit);
    await terminate(child);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await spawned;
  } catch (err) {
    await stop();
    throw err;
  }
  try {
    await waitFor(
      `Prometheus to be ready at ${url}`,
      async () => {
        if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}: ${stderr}`);
        return (await fetch(`${url}/-/ready`)).ok;
      },
      { timeoutMs: 30_000 },
    );
  } catch (err) {
    await stop();
    throw new Error(`Prometheus did not start (${stderr.trim().split('\n').slice(-5).join(' | ')})`, { cause: err });
  }

  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${url}${path}`);
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`GET ${path} → ${response.status} ${body.error ?? ''}`);
    return body.data;
  };

  return {
    url,
    async query(expr) {
      const data = await api<{ resultType: string; result: PromSample[] }>(
        `/api/v1/query?query=${encodeURIComponent(expr)}`,
      ).catch((err: Error) => {
        throw new Error(`query failed: ${expr}\n${err.message}`, { cause: err });
      });
      if (data.resultType !== 'vector')
        throw new Error(`expected an instant vector from ${expr}, got ${data.resultType}`);
      return data.result;
    },
    async targets() {
      return (
        await api<{ activeTargets: Array<{ labels: Record<string, string>; health: string; lastError: string }> }>(
          '/api/v1/targets',
        )
      ).activeTargets;
    },
    async rules() {
      const data = await api<{
        groups: Array<{
          rules: Array<{ name: string; type: string; health: string; lastError?: string; query: string }>;
        }>;
      }>('/api/v1/rules');
      return data.groups.flatMap((g) => g.rules);
    },
    labelValues(label, selector) {
      return api<string[]>(`/api/v1/label/${encodeURIComponent(label)}/values?match[]=${encodeURIComponent(selector)}`);
    },
    stop,
  };
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
