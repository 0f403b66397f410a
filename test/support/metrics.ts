import type { Recon } from '../../server/recon.ts';

/** One sample from /metrics, read like Prometheus would (`name{labels}` exactly as exposed); undefined when absent. */
export async function metricValue(recon: Recon, series: string): Promise<number | undefined> {
  const text = await (await recon.app.request('/metrics')).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
