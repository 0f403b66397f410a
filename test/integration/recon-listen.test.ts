import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { type ReconProcess, spawnRecon } from '../support/recon-process.ts';
import { ADMIN, ADMIN_AUTH, basicAuth } from '../support/users.ts';

// Where a real Recon process listens, and the DNS-rebinding request of the probe sent over a real socket (a Host
// header and an Origin that name the attacker's site, an admin's Basic credentials cached by the browser).

let env: IsolatedEnv;

beforeAll(async () => {
  env = await createIsolatedEnv('listen');
});

afterAll(async () => {
  await env?.destroy();
});

/** An address of this machine that is not loopback: Recon must not answer there unless told to. */
function outsideAddress(): string {
  const address = Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry && !entry.internal && entry.family === 'IPv4')?.address;
  if (!address) throw new Error('this test needs a network interface with an IPv4 address besides loopback');
  return address;
}

const canConnect = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host, port, timeout: 2_000 });
    const settle = (isOpen: boolean) => {
      socket.destroy();
      resolve(isOpen);
    };
    socket.once('connect', () => settle(true));
    socket.once('error', () => settle(false));
    socket.once('timeout', () => settle(false));
  });

/** A raw HTTP request: fetch() would not let a test choose the Host header. */
const send = (url: string, method: string, headers: Record<string, string>, body?: string) =>
  new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.once('error', reject);
    req.end(body);
  });

describe('a Recon process', () => {
  const started: ReconProcess[] = [];
  const start = async (extraEnv: Record<string, string> = {}) => {
    const recon = await spawnRecon(env, extraEnv);
    started.push(recon);
    return recon;
  };
  afterAll(async () => {
    await Promise.all(started.map((recon) => recon.stop()));
  });

  it('listens on loopback only by default', async () => {
    const recon = await start();
    const port = Number(new URL(recon.url).port);
    expect(await canConnect('127.0.0.1', port)).toBe(true);
    expect(await canConnect(outsideAddress(), port)).toBe(false);
  });

  it('refuses an admin request addressed to a foreign Host with a matching Origin (421)', async () => {
    const recon = started[0]!;
    const port = new URL(recon.url).port;
    const host = `attacker.example:${port}`;
    const body = JSON.stringify({ name: 'rebound-admin', role: 'admin', password: 'a-long-enough-password' });
    const headers = { host, origin: `http://${host}`, authorization: ADMIN_AUTH, 'content-type': 'application/json' };
    const refused = await send(`${recon.url}/api/users`, 'POST', headers, body);
    expect(refused.status).toBe(421);
    expect(JSON.parse(refused.text)).toMatchObject({ error: { code: 'misdirected-request' } });
    const users = await fetch(`${recon.url}/api/users`, { headers: { authorization: ADMIN_AUTH } });
    expect(await users.text()).not.toContain('rebound-admin');
    await recon.stop();
  });

  it('behind a trusted proxy, limits guessing per forwarded client, never per proxy', async () => {
    const recon = await start({ RECON_TRUSTED_PROXIES: '127.0.0.1' });
    const basicFrom = (client: string, password: string) =>
      send(`${recon.url}/api/session`, 'GET', {
        authorization: basicAuth(ADMIN.name, password),
        // What the client wrote, then what the proxy appended (the address it saw).
        'x-forwarded-for': `203.0.113.250, ${client}`,
      });
    for (let i = 0; i < 10; i++) expect((await basicFrom('198.51.100.1', `wrong-${i}`)).status).toBe(401);
    expect((await basicFrom('198.51.100.1', 'wrong-again')).status).toBe(429);
    // Another client behind the same proxy is not locked out: without the trusted proxy, both would be 127.0.0.1.
    const other = await send(`${recon.url}/api/session`, 'GET', {
      authorization: ADMIN_AUTH,
      'x-forwarded-for': '198.51.100.2',
    });
    expect(other.status).toBe(200);
    await recon.stop();
  });

  it('listens on every interface when RECON_HOST says so', async () => {
    const recon = await start({ RECON_HOST: '0.0.0.0' });
    const port = Number(new URL(recon.url).port);
    expect(await canConnect(outsideAddress(), port)).toBe(true);
    const health = await send(`http://${outsideAddress()}:${port}/healthz`, 'GET', {});
    expect(health.status).toBe(200);
  });
});
