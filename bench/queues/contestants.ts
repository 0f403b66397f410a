import { gunzipSync } from 'node:zlib';
import { pino } from 'pino';
import { Agent, request } from 'undici';
import { kindsReading } from '../../reconcilers/registry.ts';
import { createManagementApi } from '../../server/adapters/management-api.ts';
import { startBrokerPoller } from '../../server/broker-poller.ts';
import type { ReconConfig } from '../../server/config.ts';
import { createMetrics } from '../../server/metrics/registry.ts';
import { createMetricsState } from '../../server/metrics/state.ts';
import { createSourceHealthTracker } from '../../server/source-health.ts';

export interface Contestant {
  label: string;
  /** One poll; returns what it saw, for the log. Throws if the poll failed: a failed poll measures nothing. */
  poll(): Promise<string>;
  close(): Promise<void>;
}

/**
 * Recon's own poll, wired as server/recon.ts wires it: the real adapter and the real poller, whose `pollNow()` runs
 * `gatherBrokerPoll` with the previous poll (so consumers are read exactly when Recon would read them). Not the
 * leader, so no findings are judged or stored: that is database work, not broker traffic. `maxQueuesByName: 0`
 * makes the adapter read the watched queues by one name-filtered listing, its path for long lists of names.
 */
export function createReconContestant(
  config: ReconConfig,
  { label = "Recon's poll", maxQueuesByName }: { label?: string; maxQueuesByName?: number } = {},
): Contestant {
  const api = createManagementApi({
    url: config.rabbitmqManagementUrl,
    timeoutMs: config.managementTimeoutMs,
    ...(maxQueuesByName === undefined ? {} : { maxQueuesByName }),
  });
  const metricsState = createMetricsState();
  const notUsed = () => Promise.reject(new Error('a follower never writes findings'));
  const poller = startBrokerPoller({
    config,
    api,
    kinds: kindsReading('broker'),
    store: { writeFindings: notUsed, openFindings: notUsed, openFindingsByIds: notUsed },
    health: createSourceHealthTracker(['rabbitmq']),
    metrics: createMetrics(metricsState),
    metricsState,
    log: pino({ level: 'silent' }),
    isLeader: () => false,
  });
  return {
    label,
    async poll() {
      const result = await poller.pollNow();
      if (!result.ok) throw new Error(`Recon's poll failed: ${result.error}`);
      const consumers = result.consumers ? `${result.consumers.length} consumers of suspect queues` : 'no consumers';
      return `${result.queues.length} watched queues, ${result.channels.length} channels, ${consumers}`;
    },
    async close() {
      await poller.stop();
      await api.close();
    },
  };
}

/**
 * What a typical exporter does: one unfiltered `GET /api/queues` (every vhost, full statistics), then parse it all.
 * With `gzip`, it asks for a compressed body, as Go's net/http (most exporters) does unless told not to; the bytes
 * counted are then the compressed ones, and the client pays for inflating them.
 */
export function createExporterContestant(managementUrl: string, { gzip }: { gzip: boolean }): Contestant {
  const base = new URL(managementUrl);
  const credentials = `${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`;
  const headers: Record<string, string> = { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` };
  if (gzip) headers['accept-encoding'] = 'gzip';
  const target = new URL(`${base.pathname.replace(/\/$/, '')}/api/queues`, base.origin);
  // Keep-alive like Recon's agent; generous timeouts, so that the baseline is slow rather than failed.
  const agent = new Agent({ headersTimeout: 120_000, bodyTimeout: 120_000 });
  return {
    label: gzip ? 'exporter, gzip: GET /api/queues' : 'exporter: GET /api/queues',
    async poll() {
      const res = await request(target, { headers, dispatcher: agent });
      const body = Buffer.from(await res.body.arrayBuffer());
      const text = (res.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8');
      if (res.statusCode !== 200) throw new Error(`GET /api/queues → ${res.statusCode} ${text.slice(0, 200)}`);
      if (gzip && res.headers['content-encoding'] !== 'gzip') throw new Error('asked for gzip, got an identity body');
      const rows = JSON.parse(text) as unknown[];
      return `${rows.length} queues`;
    },
    close: () => agent.close(),
  };
}
