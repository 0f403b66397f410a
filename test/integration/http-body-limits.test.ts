import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BULK_BODY_LIMIT_BYTES, MAX_BULK_ITEMS, MAX_FINDING_ID_LENGTH } from '../../server/http/routes-bulk-actions.ts';
import type { Recon } from '../../server/recon.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { startTestRecon } from '../support/recon-harness.ts';
import { type ReconProcess, spawnRecon } from '../support/recon-process.ts';
import { ADMIN_AUTH, postJson } from '../support/users.ts';

// Every body has a size limit, checked before it is read, parsed or its sender authenticated: an anonymous client
// must not make Recon hold megabytes (DESIGN: Security). Bulk actions get room for their most findings.

let env: IsolatedEnv;
let recon: Recon;

beforeAll(async () => {
  env = await createIsolatedEnv('body_limits');
  recon = await startTestRecon(env);
});

afterAll(async () => {
  await recon?.stop();
  await env?.destroy();
});

const MB = 1024 * 1024;
const jsonOf = (size: number) => JSON.stringify({ name: 'x'.repeat(size), password: 'whatever' });
const anonymousPost = (path: string, body: string | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
  recon.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
const expect413 = async (response: Response) => {
  expect(response.status).toBe(413);
  expect(await response.json()).toEqual({
    error: { code: 'payload-too-large', message: expect.stringMatching(/at most 16 KB/) },
  });
};

describe('request body limits', () => {
  it('a large sign-in body is a 413 before it is parsed', async () => {
    const body = jsonOf(MB);
    await expect413(await anonymousPost('/api/session', body, { 'content-length': String(body.length) }));
  });

  it('a large body to an action route is a 413 before authentication', async () => {
    const body = JSON.stringify({ action: 'discard', reason: 'r'.repeat(MB) });
    await expect413(
      await anonymousPost('/api/findings/dead-letter:1/actions', body, { 'content-length': String(body.length) }),
    );
  });

  it('a chunked body without a Content-Length is cut off at the limit', async () => {
    let sent = 0;
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    const endless = new ReadableStream<Uint8Array>({
      start: (controller) => controller.enqueue(new TextEncoder().encode('{"name":"')),
      pull(controller) {
        sent += chunk.length;
        if (sent > 64 * MB) controller.close();
        else controller.enqueue(chunk);
      },
    });
    await expect413(await anonymousPost('/api/session', endless));
    expect(sent).toBeLessThan(MB);
  });

  it('a bulk of the most findings with the longest ids still fits', async () => {
    const prefix = 'dead-letter:';
    const findingIds = Array.from(
      { length: MAX_BULK_ITEMS },
      (_, i) => `${prefix}${String(i).padStart(MAX_FINDING_ID_LENGTH - prefix.length, '0')}`,
    );
    const body = { action: 'discard', reason: 'a big cleanup', findingIds, ratePerSecond: 0.1 };
    const started = await recon.app.request(
      '/api/bulk-actions',
      postJson(ADMIN_AUTH, body, { 'idempotency-key': randomUUID() }),
    );
    const json = (await started.json()) as { total: number; href: string };
    expect({ status: started.status, total: json.total }).toEqual({ status: 202, total: MAX_BULK_ITEMS });
    await recon.app.request(`${json.href}/cancel`, postJson(ADMIN_AUTH, {}));
  });

  it('a bulk body declared larger than the bulk limit is a 413 before authentication', async () => {
    const response = await anonymousPost('/api/bulk-actions', '{}', {
      'content-length': String(BULK_BODY_LIMIT_BYTES + 1),
    });
    expect(response.status).toBe(413);
  });

  it('an anonymous chunked bulk body is not read at all', async () => {
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 64 * 1024;
        if (sent > 64 * MB) controller.close();
        else controller.enqueue(new Uint8Array(64 * 1024).fill(32));
      },
    });
    expect((await anonymousPost('/api/bulk-actions', endless)).status).toBe(401);
    expect(sent).toBeLessThan(MB);
  });

  it('an ordinary bulk above the small limit works', async () => {
    const findingIds = Array.from({ length: 2_000 }, (_, i) => `dead-letter:${i + 1}`);
    const reply = await recon.app.request(
      '/api/bulk-actions',
      postJson(ADMIN_AUTH, { action: 'discard', reason: 'a dry run', findingIds, dryRun: true }),
    );
    expect(reply.status).toBe(200);
    expect(await reply.json()).toMatchObject({ total: 2_000, willAct: 0 });
  });
});

describe('request body limits in a running Recon', () => {
  let server: ReconProcess;
  beforeAll(async () => {
    server = await spawnRecon(env);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers a 50 MB sign-in body with a 413', async () => {
    const response = await fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: jsonOf(50 * MB),
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('payload-too-large');
  });

  it('answers a chunked upload with a 413 long before the upload ends', async () => {
    const { port } = new URL(server.url);
    let written = 0;
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({
        port,
        host: '127.0.0.1',
        method: 'POST',
        path: '/api/session',
        headers: { 'content-type': 'application/json' },
      });
      req.on('response', (res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
        req.destroy();
      });
      req.on('error', reject);
      // At most 64 MB, a chunk each tick: the answer must come long before.
      const chunk = 'x'.repeat(64 * 1024);
      const write = () => {
        if (req.destroyed) return;
        if (written >= 64 * MB) return void req.end();
        written += chunk.length;
        req.write(chunk, () => setImmediate(write));
      };
      req.write('{"name":"', write);
    });
    expect(status).toBe(413);
    expect(written).toBeLessThan(16 * MB);
  });
});
