import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recon } from '../../server/recon.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { startTestRecon } from '../support/recon-harness.ts';
import { ADMIN_AUTH, addUser, basicAuth } from '../support/users.ts';

// Every credential path (sign-in and HTTP Basic) against the current stored user and limited per (name, client) and
// per client, never per name alone: an attacker must not be able to lock a user out from another address.
// The client is the socket's remote address; `app.request` has no socket, so each request names one in the node
// server's bindings, as @hono/node-server passes them.

let env: IsolatedEnv;
let recon: Recon;

beforeAll(async () => {
  env = await createIsolatedEnv('credentials');
  recon = await startTestRecon(env);
});

afterAll(async () => {
  await recon?.stop();
  await env?.destroy();
});

const from = (address: string) => ({ incoming: { socket: { remoteAddress: address, remoteFamily: 'IPv4' } } });
const passwordOf = (name: string) => `pw-${name}-correct-horse`;

const getAs = async (authorization: string, address = '10.1.0.1') =>
  recon.app.request('/api/session', { headers: { authorization } }, from(address));
const signIn = (name: string, password: string, address = '10.1.0.1') =>
  recon.app.request(
    '/api/session',
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password }) },
    from(address),
  );
const setPassword = (name: string, role: string, password: string) =>
  recon.app.request(
    '/api/users',
    {
      method: 'POST',
      headers: { authorization: ADMIN_AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ name, role, password }),
    },
    from('10.1.0.200'),
  );

describe('credentials are checked against the current stored user', () => {
  it('an old password stops working at once over Basic and sign-in after a change', async () => {
    await addUser(env, 'changer', 'operator');
    expect((await getAs(basicAuth('changer', passwordOf('changer')))).status).toBe(200);
    expect((await signIn('changer', passwordOf('changer'))).status).toBe(200);
    expect((await setPassword('changer', 'operator', 'a-brand-new-password')).status).toBe(200);
    expect((await getAs(basicAuth('changer', passwordOf('changer')))).status).toBe(401);
    expect((await signIn('changer', passwordOf('changer'))).status).toBe(401);
    expect((await getAs(basicAuth('changer', 'a-brand-new-password'))).status).toBe(200);
  });

  it('a demotion applies at once to a Basic pair verified a moment before', async () => {
    const admin = await addUser(env, 'demoted-basic', 'admin');
    const user = { name: 'made-by-demoted', role: 'viewer', password: 'another-long-password' };
    const create = () =>
      recon.app.request(
        '/api/users',
        {
          method: 'POST',
          headers: { authorization: admin, 'content-type': 'application/json' },
          body: JSON.stringify(user),
        },
        from('10.1.0.2'),
      );
    expect((await create()).status).toBe(201);
    await addUser(env, 'demoted-basic', 'viewer');
    expect((await create()).status).toBe(403);
  });
});

describe('guessing is limited per (name, client) and per client', () => {
  it('after ten wrong Basic tries the right password is 429 for that client, with Retry-After', async () => {
    const right = await addUser(env, 'basic-guessed', 'viewer');
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++)
      statuses.push((await getAs(basicAuth('basic-guessed', `wrong-${i}`), '10.2.0.1')).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
    const refused = await getAs(right, '10.2.0.1');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it("someone else's wrong tries do not lock the user out, over sign-in or Basic", async () => {
    const right = await addUser(env, 'victim', 'viewer');
    for (let i = 0; i < 12; i++) await signIn('victim', `wrong-${i}`, '10.3.0.66');
    for (let i = 0; i < 12; i++) await getAs(basicAuth('victim', `wrong-${i}`), '10.3.0.66');
    expect((await signIn('victim', passwordOf('victim'), '10.3.0.66')).status).toBe(429);
    expect((await signIn('victim', passwordOf('victim'), '10.3.0.7')).status).toBe(200);
    expect((await getAs(right, '10.3.0.7')).status).toBe(200);
  });

  it('one client spraying many names is refused with 429', async () => {
    // In batches, so the spray outpaces the refill (a scrypt takes ~0.3 s here) but never fills the hashing queue.
    const statuses: number[] = [];
    const started = Date.now();
    for (let batch = 0; batch < 6; batch++) {
      const tries = Array.from({ length: 8 }, (_, i) => signIn(`sprayed-${batch}-${i}`, 'wrong-password', '10.4.0.9'));
      statuses.push(...(await Promise.all(tries)).map((response) => response.status));
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses).toContain(429);
    // 30 failures a minute per client: the 30 at once, plus what refilled meanwhile.
    const refilled = Math.ceil(((Date.now() - started) / 60_000) * 30);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(30 + refilled);
    // Another client is not affected.
    expect((await signIn('sprayed-0-0', 'wrong-password', '10.4.0.10')).status).toBe(401);
  });

  it('a Basic script making many right requests is never limited', async () => {
    const right = await addUser(env, 'busy-script', 'viewer');
    const statuses = await Promise.all(
      Array.from({ length: 30 }, () => getAs(right, '10.5.0.1').then((r) => r.status)),
    );
    expect(statuses).toEqual(Array(30).fill(200));
  });
});

describe('malformed Basic credentials', () => {
  it('a user name holding NUL is a 400 naming the header, never a 500', async () => {
    const response = await getAs(basicAuth('a\0b', 'whatever-password'));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/authorization/i);
  });
});
