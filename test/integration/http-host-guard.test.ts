import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/http/app.ts';
import { createMetrics } from '../../server/metrics/registry.ts';
import { createMetricsState } from '../../server/metrics/state.ts';
import type { Recon } from '../../server/recon.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { startTestRecon } from '../support/recon-harness.ts';
import { ADMIN_AUTH, postJson } from '../support/users.ts';

// DNS rebinding: a page on attacker.example whose name later resolves to Recon's address reaches Recon from the
// victim's browser with `Host: attacker.example` and its own Origin. Recon serves only the names it is known by
// (RECON_PUBLIC_URL), loopback names and IP addresses, which a rebinding page can never send. Through app.request()
// on a real Recon (its own databases and vhost).

const PUBLIC_URL = 'https://recon.example.com';
const METRICS_TOKEN = 'metrics-token-for-the-host-test';

let env: IsolatedEnv;
let recon: Recon;

beforeAll(async () => {
  env = await createIsolatedEnv('host-guard');
  recon = await startTestRecon(env, { RECON_PUBLIC_URL: PUBLIC_URL });
});

afterAll(async () => {
  await recon?.stop();
  await env?.destroy();
});

const get = (host: string, path: string, headers: Record<string, string> = {}) =>
  recon.app.request(`http://${host}${path}`, { headers: { host, authorization: ADMIN_AUTH, ...headers } });
const createUser = (host: string, origin: string, name: string) =>
  recon.app.request(
    `http://${host}/api/users`,
    postJson(ADMIN_AUTH, { name, role: 'admin', password: 'a-long-enough-password' }, { host, origin }),
  );
const userNames = async () => {
  const response = await get('127.0.0.1:8080', '/api/users');
  return ((await response.json()) as { users: Array<{ name: string }> }).users.map((user) => user.name);
};

describe('Host and Origin', () => {
  it("refuses an admin's write addressed to a foreign Host, even with a matching Origin", async () => {
    const response = await createUser('attacker.example:8080', 'http://attacker.example:8080', 'rebound-admin');
    expect(response.status).toBe(421);
    expect(await response.json()).toEqual({
      error: { code: 'misdirected-request', message: expect.stringContaining('RECON_PUBLIC_URL') },
    });
    expect(await userNames()).not.toContain('rebound-admin');
  });

  it('refuses reads, the UI and /metrics for a foreign Host', async () => {
    for (const path of ['/', '/api/findings', '/api/session', '/api/users', '/metrics'])
      expect((await get('attacker.example', path)).status, path).toBe(421);
  });

  it('refuses a request whose target names a foreign host, whatever its Host header says', async () => {
    const response = await recon.app.request('http://attacker.example/api/findings', {
      headers: { host: 'recon.example.com', authorization: ADMIN_AUTH },
    });
    expect(response.status).toBe(421);
  });

  it('serves the host of its public URL, loopback names and IP addresses, on any port', async () => {
    const hosts = ['recon.example.com', 'Recon.Example.com:443', 'localhost', 'localhost:9999', '127.0.0.1:8080'];
    for (const host of [...hosts, '[::1]:8080', '10.1.2.3:8080', '[fd00::2]'])
      expect((await get(host, '/api/findings')).status, host).toBe(200);
  });

  it('answers /healthz and /readyz whatever the Host: orchestrators probe by any name', async () => {
    for (const path of ['/healthz', '/readyz']) expect((await get('recon-0.recon.svc', path)).status, path).toBe(200);
  });

  it('lets a write from its public origin through', async () => {
    expect((await createUser('recon.example.com', PUBLIC_URL, 'public-admin')).status).toBe(201);
    expect((await createUser('127.0.0.1:8080', 'http://127.0.0.1:8080', 'loopback-admin')).status).toBe(201);
  });

  it('refuses a write whose Origin is not one of its own, even to its own Host', async () => {
    for (const origin of ['http://recon.example.com', 'https://recon.example.com:8443', 'null']) {
      const response = await createUser('recon.example.com', origin, 'wrong-origin-admin');
      expect(response.status, origin).toBe(403);
      expect(await response.json()).toEqual({
        error: { code: 'forbidden', message: `cross-origin request from ${origin} refused` },
      });
    }
    expect(await userNames()).not.toContain('wrong-origin-admin');
  });

  it('serves /metrics to any Host when a bearer token guards it: a rebinding page cannot send the token', async () => {
    const app = createApp({
      store: recon.store,
      metrics: createMetrics(createMetricsState()),
      timeline: { keyFamily: async () => 'uuid' as const, orderHistory: async () => noHistory },
      isReady: async () => true,
      metricsToken: METRICS_TOKEN,
      publicOrigins: [PUBLIC_URL],
    });
    const scrape = (authorization?: string) =>
      app.request('http://prometheus-target:8080/metrics', {
        headers: { host: 'recon.monitoring.svc:8080', ...(authorization ? { authorization } : {}) },
      });
    expect((await scrape(`Bearer ${METRICS_TOKEN}`)).status).toBe(200);
    expect((await scrape()).status).toBe(401);
  });
});

describe('security headers', () => {
  it('sends Strict-Transport-Security only to a request that came over HTTPS', async () => {
    const hsts = async (url: string, host: string) =>
      (await recon.app.request(url, { headers: { host } })).headers.get('strict-transport-security');
    expect(await hsts('http://127.0.0.1:8080/healthz', '127.0.0.1:8080')).toBeNull();
    expect(await hsts('http://localhost/', 'localhost')).toBeNull();
    // Behind a TLS-terminating proxy: the request is for the https public URL's host.
    expect(await hsts('http://recon.example.com/healthz', 'recon.example.com')).toMatch(/^max-age=\d+/);
    // Over a TLS connection to Recon itself.
    expect(await hsts('https://10.1.2.3:8443/healthz', '10.1.2.3:8443')).toMatch(/^max-age=\d+/);
  });

  it('forbids framing in both headers alike: X-Frame-Options DENY and frame-ancestors none', async () => {
    const response = await get('127.0.0.1:8080', '/api/findings');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});

const noHistory = { order: null, outbox: [], dispatches: [] };
