// Issue 17: bytes on the wire for loading the overview page — index.html, the bundles it names, and the API calls the
// page makes first — asked as a browser asks (Accept-Encoding: gzip, deflate, br, zstd) and as a client that accepts
// no encoding, which is what every browser got before Recon compressed anything (it ignored the header then).
// Usage: npm run bench:ui-bytes -- [--url http://127.0.0.1:8080 --user NAME --password PASSWORD]
//   Without --url it starts a Recon of its own (ui/dist, private databases and vhost, an hour of findings history).
import { request } from 'node:http';
import { parseArgs } from 'node:util';
import { createGunzip } from 'node:zlib';
import type { Judgement } from '../reconcilers/vocabulary.ts';
import { createIsolatedEnv } from '../test/support/isolated-env.ts';
import { writeJudgements } from '../test/support/judgement-builders.ts';
import { listenOnLoopback, wireGet } from '../test/support/raw-http.ts';
import { startTestRecon } from '../test/support/recon-harness.ts';
import { ADMIN, basicAuth } from '../test/support/users.ts';

const BROWSER = 'gzip, deflate, br, zstd';
const { values } = parseArgs({
  options: { url: { type: 'string' }, user: { type: 'string' }, password: { type: 'string' } },
});

async function startOwnRecon() {
  const env = await createIsolatedEnv('ui_bytes');
  const recon = await startTestRecon(env);
  // An hour of history: each minute a few orders go without a dispatch and some earlier ones are resolved.
  const open = (minute: number, i: number): Judgement => {
    const key = `order-${minute}-${i}`;
    return {
      kind: 'order-without-dispatch',
      key,
      verdict: 'mismatch',
      severity: 'warning',
      evidence: { orderId: key },
    };
  };
  for (let minute = 60; minute > 0; minute -= 1) {
    const resolved = minute < 58 ? [0, 1].map((i) => ({ ...open(minute + 2, i), verdict: 'ok' as const })) : [];
    await writeJudgements(recon.store, [...[0, 1, 2].map((i) => open(minute, i)), ...resolved], minutesAgo(minute));
  }
  const server = await listenOnLoopback(recon.app);
  return {
    url: server.url,
    stop: () =>
      server
        .close()
        .then(() => recon.stop())
        .then(() => env.destroy()),
  };
}
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

/** Bytes read for the stream's headers and its first event, as the page's EventSource receives them. */
function firstEventBytes(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: false }, (res) => {
      let text = '';
      const decoded = res.headers['content-encoding'] === 'gzip' ? res.pipe(createGunzip()) : res;
      decoded.on('error', () => {});
      decoded.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        if (!text.includes('\n\n')) return;
        resolve(res.socket.bytesRead);
        req.destroy();
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const own = values.url ? undefined : await startOwnRecon();
const base = values.url ?? own!.url;
const authorization = basicAuth(values.user ?? ADMIN.name, values.password ?? ADMIN.password);
try {
  const index = (await wireGet(`${base}/`)).body.toString('utf8');
  const assets = [...index.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
  const paths = ['/', ...assets, '/api/session', '/api/overview?minutes=60'];
  const rows: Array<[string, number, number]> = [];
  for (const path of paths) {
    const headers: Record<string, string> = path.startsWith('/api/') ? { authorization } : {};
    const before = await wireGet(`${base}${path}`, headers);
    const after = await wireGet(`${base}${path}`, { ...headers, 'accept-encoding': BROWSER });
    if (before.status !== 200 || after.status !== 200)
      throw new Error(`GET ${path} → ${before.status}/${after.status}`);
    rows.push([`${path} (${after.headers['content-encoding'] ?? 'identity'})`, before.wireBytes, after.wireBytes]);
  }
  const events = `${base}/api/events`;
  const eventRow = [
    await firstEventBytes(events, { authorization }),
    await firstEventBytes(events, { authorization, 'accept-encoding': BROWSER }),
  ] as const;
  rows.push(['/api/events, headers + first event (gzip, flushed per event)', ...eventRow]);
  const total = rows.reduce(([, b, a], [, rb, ra]) => ['total', b + rb, a + ra], ['total', 0, 0] as [
    string,
    number,
    number,
  ]);
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  console.log('| request | before (no encoding) | after (browser) | after/before |\n| --- | --: | --: | --: |');
  for (const [name, before, after] of [...rows, total])
    console.log(`| ${name} | ${kb(before)} | ${kb(after)} | ${(after / before).toFixed(2)} |`);
} finally {
  await own?.stop();
}
