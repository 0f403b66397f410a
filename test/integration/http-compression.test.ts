import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, createGunzip, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Judgement } from '../../reconcilers/vocabulary.ts';
import { createApp } from '../../server/http/app.ts';
import { createMetrics } from '../../server/metrics/registry.ts';
import { createMetricsState } from '../../server/metrics/state.ts';
import { createPgStore } from '../../server/store/pg-store.ts';
import { createUserStore } from '../../server/store/user-store.ts';
import { writeJudgements } from '../support/judgement-builders.ts';
import { listenOnLoopback, wireGet } from '../support/raw-http.ts';
import { createReconDb, type ReconDb } from '../support/recon-db.ts';
import { addUserTo } from '../support/users.ts';

// Compression through a real socket (app.request would skip the server's framing): the UI's bundles precompressed at
// build time, the API's JSON gzipped on the fly, and the live event stream left alone so each event leaves at once.
const uiDir = fileURLToPath(new URL('../../ui/dist', import.meta.url));
const EVENT_INTERVAL_MS = 300;

let db: ReconDb;
let server: Awaited<ReturnType<typeof listenOnLoopback>>;
let viewer: string;
const shutdown = new AbortController();
const assets: Record<'js' | 'css', string> = { js: '', css: '' };

beforeAll(async () => {
  const index = existsSync(`${uiDir}/index.html`) ? readFileSync(`${uiDir}/index.html`, 'utf8') : '';
  for (const ext of ['js', 'css'] as const) {
    const name = index.match(new RegExp(`/assets/[^"]+\\.${ext}`))?.[0];
    if (!name) throw new Error(`No built UI in ${uiDir} naming a .${ext} bundle. Build it: bash scripts/ensure-ui.sh`);
    assets[ext] = name;
  }
  db = await createReconDb('http_compression');
  const store = createPgStore(db.pool);
  // Enough findings that a page of them is a JSON body worth compressing.
  const judgements = Array.from({ length: 200 }, (_, i): Judgement => {
    const key = `order-${String(i).padStart(4, '0')}`;
    return {
      kind: 'order-without-dispatch',
      key,
      verdict: 'mismatch',
      severity: 'warning',
      evidence: { orderId: key },
    };
  });
  await writeJudgements(store, judgements, new Date(Date.now() - 60_000));
  const users = createUserStore(db.pool);
  viewer = await addUserTo(users, 'vera', 'viewer');
  const app = createApp({
    store,
    metrics: createMetrics(createMetricsState()),
    timeline: {
      keyFamily: async () => 'uuid',
      orderHistory: async () => ({ order: null, outbox: [], dispatches: [] }),
    },
    isReady: async () => true,
    users,
    uiDir,
    events: { intervalMs: EVENT_INTERVAL_MS, shutdown: shutdown.signal },
  });
  server = await listenOnLoopback(app);
});

afterAll(async () => {
  shutdown.abort();
  await server?.close();
  await db?.destroy();
});

const fileOf = (asset: string) => readFileSync(`${uiDir}${asset}`);

describe('the UI bundles', () => {
  it.each(['js', 'css'] as const)('sends the %s bundle brotli-compressed to a browser that accepts br', async (ext) => {
    const response = await wireGet(`${server.url}${assets[ext]}`, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['content-type']).toMatch(ext === 'js' ? /^text\/javascript/ : /^text\/css/);
    expect(response.headers.vary).toMatch(/accept-encoding/i);
    expect(response.headers['cache-control']).toMatch(/immutable/);
    expect(response.body.length).toBeLessThan(fileOf(assets[ext]).length / 2);
    expect(brotliDecompressSync(response.body).equals(fileOf(assets[ext]))).toBe(true);
  });

  it('sends gzip to a client that accepts only gzip', async () => {
    const response = await wireGet(`${server.url}${assets.js}`, { 'accept-encoding': 'gzip' });
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.headers['content-type']).toMatch(/^text\/javascript/);
    expect(gunzipSync(response.body).equals(fileOf(assets.js))).toBe(true);
  });

  it('sends the file as it is, still varying on Accept-Encoding, to a client that accepts no encoding', async () => {
    const response = await wireGet(`${server.url}${assets.js}`);
    expect(response.headers['content-encoding']).toBeUndefined();
    // A shared cache must not hand this identity copy's key to a browser, nor a br copy to this client.
    expect(response.headers.vary).toMatch(/accept-encoding/i);
    expect(response.body.equals(fileOf(assets.js))).toBe(true);
  });
});

describe('the API', () => {
  it('gzips a large /api/findings page', async () => {
    const path = '/api/findings?kind=order-without-dispatch&limit=200';
    const plain = await wireGet(`${server.url}${path}`, { authorization: viewer });
    const gzipped = await wireGet(`${server.url}${path}`, { authorization: viewer, 'accept-encoding': 'gzip, br' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gzipped.status).toBe(200);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers['content-type']).toMatch(/^application\/json/);
    expect(gzipped.headers.vary).toMatch(/accept-encoding/i);
    expect(gzipped.headers['cache-control']).toBe('no-store');
    expect(gzipped.body.length).toBeLessThan(plain.body.length / 4);
    const items = JSON.parse(gunzipSync(gzipped.body).toString('utf8')).items;
    expect(items).toHaveLength(200);
    expect(items).toEqual(JSON.parse(plain.body.toString('utf8')).items);
  });

  it('sends a small JSON answer as it is: gzip would make it larger', async () => {
    const response = await wireGet(`${server.url}/api/findings?limit=1`, {
      authorization: viewer,
      'accept-encoding': 'gzip',
    });
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(Number(response.headers['content-length'])).toBe(response.body.length);
    expect(JSON.parse(response.body.toString('utf8')).items).toHaveLength(1);
  });

  it('gzips /metrics for a Prometheus that asks for gzip, as every Prometheus scrape does', async () => {
    const response = await wireGet(`${server.url}/metrics`, { 'accept-encoding': 'gzip' });
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(response.body).toString('utf8')).toMatch(/^# HELP recon_/m);
  });

  it('gzips the live event stream with a flush per event, so each event still arrives as it is written', async () => {
    const { headers, events, opened } = await readEvents('gzip, deflate, br');
    expect(headers['content-type']).toMatch(/^text\/event-stream/);
    expect(headers['content-encoding']).toBe('gzip');
    // Three events 300 ms apart: an encoder without a flush would hold them until its buffer filled or the end.
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events[0]!.at - opened).toBeLessThan(5_000);
    expect(events[2]!.at - events[0]!.at).toBeLessThan(5_000);
    // Each event decodes on its own, one interval after the one before: not held back and released together.
    expect(events[1]!.at - events[0]!.at).toBeGreaterThanOrEqual(EVENT_INTERVAL_MS / 2);
    expect(events[2]!.at - events[1]!.at).toBeGreaterThanOrEqual(EVENT_INTERVAL_MS / 2);
    expect(JSON.parse(events[0]!.data)).toHaveProperty('findings');
  });

  it('sends the live event stream as it is to a client that accepts no gzip', async () => {
    const { headers, events } = await readEvents('identity');
    expect(headers['content-encoding']).toBeUndefined();
    expect(events.length).toBeGreaterThanOrEqual(3);
  });
});

/** Opens /api/events over a socket, decodes it as it arrives, and returns the first three events with their times. */
async function readEvents(acceptEncoding: string) {
  const events: Array<{ at: number; data: string }> = [];
  let text = '';
  const req = request(`${server.url}/api/events`, {
    headers: { authorization: viewer, 'accept-encoding': acceptEncoding },
    agent: false,
  });
  const opened = Date.now();
  const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (res) => {
      const decoded = res.headers['content-encoding'] === 'gzip' ? res.pipe(createGunzip()) : res;
      decoded.on('error', () => {});
      decoded.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        for (let end = text.indexOf('\n\n'); end >= 0; end = text.indexOf('\n\n')) {
          const block = text.slice(0, end);
          text = text.slice(end + 2);
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (block.startsWith('event: overview') && data) events.push({ at: Date.now(), data });
        }
      });
      resolve(res.headers);
    });
    req.end();
  });
  const deadline = Date.now() + 10_000;
  while (events.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  req.destroy();
  return { headers, events, opened };
}
