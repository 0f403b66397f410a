import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recon } from '../../server/recon.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { startTestRecon } from '../support/recon-harness.ts';
import { ADMIN, addUser } from '../support/users.ts';

// The browser session against the real server and Recon's real database: the cookie, the CSRF token, expiry,
// sign-out, a demotion taking effect at once, sign-in and action rate limits, and /metrics behind a bearer token.

const METRICS_TOKEN = 'metrics-token-for-the-test-0123';
const ACTIONS_PER_MINUTE = 3;

let env: IsolatedEnv;
let recon: Recon;
let pool: pg.Pool;

beforeAll(async () => {
  env = await createIsolatedEnv('session');
  recon = await startTestRecon(env, {
    RECON_METRICS_TOKEN: METRICS_TOKEN,
    RECON_ACTIONS_PER_MINUTE: String(ACTIONS_PER_MINUTE),
  });
  pool = new pg.Pool({ connectionString: env.reconDatabaseUrl, max: 2 });
});

afterAll(async () => {
  await pool?.end();
  await recon?.stop();
  await env?.destroy();
});

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

async function signIn(name: string, password: string) {
  const response = await recon.app.request('/api/session', { method: 'POST', ...json({ name, password }) });
  const setCookie = response.headers.get('set-cookie') ?? '';
  const body = (await response.json()) as { csrfToken?: string; user?: { name: string; role: string } };
  return { response, setCookie, cookie: setCookie.split(';')[0]!, body };
}

describe('browser session', () => {
  it('signs in with an HttpOnly SameSite=Strict cookie whose token is stored only as a hash', async () => {
    const { response, setCookie, cookie, body } = await signIn(ADMIN.name, ADMIN.password);
    expect(response.status).toBe(200);
    expect(body.user).toEqual({ name: ADMIN.name, role: 'admin' });
    expect(setCookie).toMatch(/^recon_session=[\w-]{40,};/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Max-Age=28800/);
    expect(setCookie).not.toMatch(/Secure/); // plain http here; `auto` sets it behind https
    const token = cookie.split('=')[1]!;
    const stored = await pool.query('SELECT token_hash FROM sessions WHERE token_hash = $1 OR token_hash = $2', [
      token,
      createHash('sha256').update(token).digest('hex'),
    ]);
    expect(stored.rows).toEqual([{ token_hash: createHash('sha256').update(token).digest('hex') }]);

    const me = await recon.app.request('/api/session', { headers: { cookie } });
    expect(await me.json()).toEqual({ user: body.user, csrfToken: body.csrfToken, readOnly: false });
    expect((await recon.app.request('/api/findings', { headers: { cookie } })).status).toBe(200);
  });

  it('behind HTTPS the cookie is Secure', async () => {
    const response = await recon.app.request('/api/session', {
      method: 'POST',
      ...json({ name: ADMIN.name, password: ADMIN.password }, { 'x-forwarded-proto': 'https' }),
    });
    expect(response.headers.get('set-cookie')).toMatch(/; Secure/);
  });

  it('a write with the cookie needs the session CSRF token', async () => {
    const { cookie, body } = await signIn(ADMIN.name, ADMIN.password);
    const user = { name: 'csrf-made', role: 'viewer', password: 'a-long-enough-password' };
    const post = (headers: Record<string, string>) =>
      recon.app.request('/api/users', { method: 'POST', ...json(user, { cookie, ...headers }) });
    const missing = await post({});
    expect(missing.status).toBe(403);
    expect(await missing.json()).toEqual({
      error: { code: 'forbidden', message: 'missing or wrong x-csrf-token header: reload the page' },
    });
    expect((await post({ 'x-csrf-token': `${body.csrfToken}x` })).status).toBe(403);
    expect((await pool.query("SELECT 1 FROM users WHERE name = 'csrf-made'")).rowCount).toBe(0);
    expect((await post({ 'x-csrf-token': body.csrfToken! })).status).toBe(201);
    expect((await pool.query("SELECT role FROM users WHERE name = 'csrf-made'")).rows).toEqual([{ role: 'viewer' }]);
  });

  it('signing out ends the session on the server, not only in the browser', async () => {
    const { cookie, body } = await signIn(ADMIN.name, ADMIN.password);
    const out = await recon.app.request('/api/session', {
      method: 'DELETE',
      ...json({}, { cookie, 'x-csrf-token': body.csrfToken! }),
    });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^recon_session=;.*Max-Age=0/);
    expect((await recon.app.request('/api/findings', { headers: { cookie } })).status).toBe(401);
  });

  it('an expired session is anonymous', async () => {
    const { cookie } = await signIn(ADMIN.name, ADMIN.password);
    const token = cookie.split('=')[1]!;
    await pool.query("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE token_hash = $1", [
      createHash('sha256').update(token).digest('hex'),
    ]);
    expect((await recon.app.request('/api/session', { headers: { cookie } })).status).toBe(401);
    expect((await recon.app.request('/api/overview', { headers: { cookie } })).status).toBe(401);
  });

  it('a demoted user loses the role at once, in a session already open', async () => {
    await addUser(env, 'demoted', 'operator');
    const { cookie, body } = await signIn('demoted', 'pw-demoted-correct-horse');
    expect(body.user).toEqual({ name: 'demoted', role: 'operator' });
    await addUser(env, 'demoted', 'viewer');
    const me = (await (await recon.app.request('/api/session', { headers: { cookie } })).json()) as {
      user: { role: string };
    };
    expect(me.user.role).toBe('viewer');
    const act = await recon.app.request('/api/findings/order-without-dispatch:x/actions', {
      method: 'POST',
      ...json({ action: 'redeliver', reason: 'demoted' }, { cookie, 'x-csrf-token': body.csrfToken! }),
    });
    expect(act.status).toBe(403);
  });

  it('wrong passwords get 401, and after ten attempts a minute 429', async () => {
    await addUser(env, 'guessed', 'viewer');
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await signIn('guessed', `wrong-${i}`)).response.status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
    // Even the right password waits: the limit is on attempts, so guessing cannot go on at scrypt speed.
    expect((await signIn('guessed', 'pw-guessed-correct-horse')).response.status).toBe(429);
  });
});

describe('limits and tokens', () => {
  it(`allows ${ACTIONS_PER_MINUTE} actions a minute per user, then 429 with Retry-After`, async () => {
    const operator = await addUser(env, 'hasty', 'operator');
    const statuses: number[] = [];
    for (let i = 0; i <= ACTIONS_PER_MINUTE; i++) {
      const response = await recon.app.request(`/api/findings/order-without-dispatch:hasty-${i}/actions`, {
        method: 'POST',
        ...json(
          { action: 'redeliver', reason: 'rate limit test' },
          { authorization: operator, 'idempotency-key': `k${i}` },
        ),
      });
      statuses.push(response.status);
      if (i === ACTIONS_PER_MINUTE) expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(statuses.slice(0, ACTIONS_PER_MINUTE)).toEqual(Array(ACTIONS_PER_MINUTE).fill(404));
    expect(statuses[ACTIONS_PER_MINUTE]).toBe(429);
    // Another user has a bucket of their own.
    const other = await addUser(env, 'patient', 'operator');
    const response = await recon.app.request('/api/findings/order-without-dispatch:patient/actions', {
      method: 'POST',
      ...json({ action: 'redeliver', reason: 'rate limit test' }, { authorization: other, 'idempotency-key': 'p' }),
    });
    expect(response.status).toBe(404);
  });

  it('/metrics wants the bearer token when one is configured', async () => {
    expect((await recon.app.request('/metrics')).status).toBe(401);
    const wrong = await recon.app.request('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}x` } });
    expect(wrong.status).toBe(401);
    const right = await recon.app.request('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(right.status).toBe(200);
    expect(await right.text()).toMatch(/^recon_findings_open\{kind="order-without-dispatch"\}/m);
  });
});
