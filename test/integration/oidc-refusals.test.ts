import { createServer } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recon } from '../../server/recon.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { OIDC_ROLE_ENV, startTestProvider, type TestProvider } from '../support/oidc-provider.ts';
import { CALLBACK_URL, type OidcSignIn, RECON_ORIGIN, signInWithOidc } from '../support/oidc-sign-in.ts';
import { startTestRecon } from '../support/recon-harness.ts';
import { ADMIN, ADMIN_AUTH, addUser } from '../support/users.ts';

// Every way an OpenID sign-in must not end in a session, against the real provider (oidc-provider on loopback):
// no group, a forged state, no flow cookie, and ID tokens a misbehaving token endpoint rewrote (another audience,
// another issuer, expired, another nonce, unsigned). Then a provider that is down, with password sign-in turned off.

let env: IsolatedEnv;
let provider: TestProvider;
let recon: Recon;
let pool: pg.Pool;

beforeAll(async () => {
  env = await createIsolatedEnv('oidc_refusals');
  provider = await startTestProvider([CALLBACK_URL]);
  recon = await startTestRecon(env, { RECON_OIDC_ISSUER: provider.issuer, ...OIDC_ROLE_ENV });
  pool = new pg.Pool({ connectionString: env.reconDatabaseUrl, max: 2 });
});

afterAll(async () => {
  await pool?.end();
  await recon?.stop();
  await provider?.stop();
  await env?.destroy();
});

/** The refusal page's status and text, and proof that no session was started and no user saved. */
async function expectRefused({ response, cookie }: OidcSignIn, status: number, text: RegExp, login: string) {
  const page = await response.text();
  expect(response.status, page).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  expect(page).toMatch(text);
  expect(cookie).toBeUndefined();
  expect((await pool.query('SELECT 1 FROM users WHERE name = $1', [login])).rowCount).toBe(0);
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('OpenID sign-ins that end in no session', () => {
  it('a user in no mapped group gets a page that says so, with their groups', async () => {
    await expectRefused(
      await signInWithOidc(recon, 'nils'),
      403,
      /No access to Recon.*nils, your groups at Test IdP \(staff\) give no role/s,
      'nils',
    );
  });

  it('a callback whose state is not the flow’s is refused', async () => {
    const forged = (url: URL) => {
      url.searchParams.set('state', 'forged-state-0123456789abcdef');
      return url;
    };
    await expectRefused(
      await signInWithOidc(recon, 'olga', { callback: forged }),
      403,
      /Sign-in refused.*state/s,
      'olga',
    );
  });

  it('a callback without the flow cookie (a sign-in started elsewhere) is refused', async () => {
    const signIn = await signInWithOidc(recon, 'olga', { flowCookie: () => undefined });
    await expectRefused(signIn, 400, /not started here/, 'olga');
  });

  it('refuses a client whose callbacks keep failing (invented flows), and only that client', async () => {
    const from = (address: string) => ({ incoming: { socket: { remoteAddress: address, remoteFamily: 'IPv4' } } });
    const callback = (address: string) =>
      recon.app.request(`${CALLBACK_URL}?code=invented&state=invented`, {}, from(address));
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await callback('10.9.0.1')).status);
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(400));
    expect(statuses.slice(20)).toEqual([429, 429]);
    expect((await callback('10.9.0.2')).status).toBe(400);
  });

  const tampered: Array<[string, (claims: Record<string, unknown>) => Record<string, unknown>, RegExp]> = [
    ['another audience', (claims) => ({ ...claims, aud: 'some-other-client' }), /aud/],
    ['another issuer', (claims) => ({ ...claims, iss: 'https://evil.example.com' }), /iss/],
    ['expired an hour ago', (claims) => ({ ...claims, iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 }), /exp/],
    ['another nonce', (claims) => ({ ...claims, nonce: 'replayed-nonce-0123456789' }), /nonce/],
  ];
  it.each(tampered)('an ID token for %s is refused', async (_what, change, reason) => {
    provider.tamper(change);
    try {
      await expectRefused(await signInWithOidc(recon, 'olga'), 403, reason, 'olga');
    } finally {
      provider.tamper(null);
    }
  });

  it('a re-signed but unchanged ID token is accepted: the refusals above are the changes’, not the proxy’s', async () => {
    provider.tamper((claims) => claims);
    try {
      const { response, cookie } = await signInWithOidc(recon, 'ada');
      expect(response.status, await response.text()).toBe(302);
      expect(cookie).toBeDefined();
    } finally {
      provider.tamper(null);
    }
  });

  it('an ID token signed with `none` is refused', async () => {
    provider.tamper((claims) => claims, 'none');
    try {
      await expectRefused(await signInWithOidc(recon, 'olga'), 403, /Sign-in refused.*alg/s, 'olga');
    } finally {
      provider.tamper(null);
    }
  });

  it('an ID token signed with a key the provider never published is refused', async () => {
    provider.tamper((claims) => claims, 'foreign-key');
    try {
      await expectRefused(await signInWithOidc(recon, 'olga'), 403, /Sign-in refused.*signature/is, 'olga');
    } finally {
      provider.tamper(null);
    }
  });

  it('never takes over a local user of the same name', async () => {
    await addUser(env, 'vera', 'admin');
    const { response, cookie } = await signInWithOidc(recon, 'vera');
    expect(response.status).toBe(409);
    expect(await response.text()).toMatch(/already has a user named vera/);
    expect(cookie).toBeUndefined();
    const { rows } = await pool.query('SELECT role, oidc_subject FROM users WHERE name = $1', ['vera']);
    expect(rows).toEqual([{ role: 'admin', oidc_subject: null }]);
  });

  it('never gives a password to a user who signs in through the provider (an admin creating that name gets 409)', async () => {
    expect((await signInWithOidc(recon, 'olga')).response.status).toBe(302);
    const before = await pool.query('SELECT role, password_hash FROM users WHERE name = $1', ['olga']);
    const reply = await recon.app.request(`${RECON_ORIGIN}/api/users`, {
      method: 'POST',
      headers: { authorization: ADMIN_AUTH, 'content-type': 'application/json', origin: RECON_ORIGIN },
      body: JSON.stringify({ name: 'olga', role: 'admin', password: 'a-break-glass-password' }),
    });
    expect(reply.status).toBe(409);
    expect(((await reply.json()) as { error: { message: string } }).error.message).toMatch(/OpenID provider/);
    const after = await pool.query('SELECT role, password_hash FROM users WHERE name = $1', ['olga']);
    expect(after.rows).toEqual(before.rows);
  });
});

describe('a provider that is down, with password sign-in turned off', () => {
  let downEnv: IsolatedEnv;
  let downRecon: Recon;

  beforeAll(async () => {
    downEnv = await createIsolatedEnv('oidc_down');
    downRecon = await startTestRecon(downEnv, {
      ...OIDC_ROLE_ENV,
      RECON_OIDC_ISSUER: `http://127.0.0.1:${await closedPort()}`,
      RECON_PASSWORD_SIGNIN: 'false',
    });
  });

  afterAll(async () => {
    await downRecon?.stop();
    await downEnv?.destroy();
  });

  it('the sign-in button leads to a page that says the provider cannot be reached', async () => {
    const response = await downRecon.app.request(`${RECON_ORIGIN}/api/session/oidc/start`);
    expect(response.status).toBe(502);
    const page = await response.text();
    expect(page).toMatch(/Test IdP cannot be reached.*RECON_PASSWORD_SIGNIN/s);
    // Anyone sees this page: the provider's network (addresses, ports, errno) stays in the log.
    expect(page).not.toMatch(/ECONN|127\.0\.0\.1:\d+|fetch failed/);
  });

  it('refuses passwords through the form and HTTP Basic, and the sign-in page is told so', async () => {
    const options = await downRecon.app.request(`${RECON_ORIGIN}/api/sign-in-options`);
    expect(await options.json()).toEqual({
      password: false,
      oidc: { name: 'Test IdP', startUrl: '/api/session/oidc/start' },
    });
    const form = await downRecon.app.request(`${RECON_ORIGIN}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    expect(form.status).toBe(403);
    expect(await form.text()).toMatch(/RECON_PASSWORD_SIGNIN=false/);
    const basic = await downRecon.app.request(`${RECON_ORIGIN}/api/findings`, {
      headers: { authorization: ADMIN_AUTH },
    });
    expect(basic.status).toBe(403);
  });
});

async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
