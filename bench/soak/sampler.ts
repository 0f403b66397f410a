import type { Replica } from './replicas.ts';

const EVERY_MS = 5_000;
const TIMEOUT_MS = 10_000;

export interface Sample {
  at: Date;
  replica: string;
  rssBytes?: number;
  /** undefined when the replica was down on purpose (killed by the schedule) and so not asked. */
  isScrapeOk?: boolean;
  scrapeMs?: number;
  isOverviewOk?: boolean;
  overviewMs?: number;
  detail?: string;
}

/** Every EVERY_MS, for each running replica: its memory, a /metrics scrape and /api/overview as a signed-in viewer. */
export function startSampler(replicas: Replica[], viewerAuthorization: string) {
  const samples: Sample[] = [];
  const timed = async (url: string, headers: Record<string, string> = {}) => {
    const startedAt = Date.now();
    try {
      const response = await fetch(url, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
      await response.arrayBuffer();
      return { ok: response.ok, ms: Date.now() - startedAt, detail: response.ok ? undefined : `${response.status}` };
    } catch (err) {
      return { ok: false, ms: Date.now() - startedAt, detail: (err as Error).message };
    }
  };
  const sampleOnce = async () => {
    await Promise.all(
      replicas.map(async (replica) => {
        if (!replica.isAlive()) return void samples.push({ at: new Date(), replica: replica.name });
        const [scrape, overview] = await Promise.all([
          timed(`${replica.url}/metrics`),
          timed(`${replica.url}/api/overview`, { authorization: viewerAuthorization }),
        ]);
        // A replica killed while the request was out is not a failure to answer.
        if (!replica.isAlive()) return void samples.push({ at: new Date(), replica: replica.name });
        samples.push({
          at: new Date(),
          replica: replica.name,
          rssBytes: replica.rssBytes(),
          isScrapeOk: scrape.ok,
          scrapeMs: scrape.ms,
          isOverviewOk: overview.ok,
          overviewMs: overview.ms,
          detail: scrape.detail ?? overview.detail,
        });
      }),
    );
  };
  let isStopped = false;
  const loop = (async () => {
    while (!isStopped) {
      await sampleOnce();
      await new Promise((resolve) => setTimeout(resolve, EVERY_MS));
    }
  })();
  return {
    samples,
    async stop() {
      isStopped = true;
      await loop;
    },
  };
}
