import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recon } from '../../server/recon.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { OIDC_ROLE_ENV, startTestProvider, type TestProvider } from '../support/oidc-provider.ts';
import { CALLBACK_URL, RECON_ORIGIN, signInWithOidc } from '../support/oidc-sign-in.ts';
import { startTestRecon } from '../support/recon-harness.ts';
import { ADMIN } from '../support/users.ts';

// OpenID Connect sign-in against a real provider (oidc-provider on loopback) and Recon's real database: the role
// each group gives, the same session as a password sign-in (cookie + CSRF token), the audit row, and a demotion at
// the provider taking effect at the next sign-in in every open session of the user.

let env: IsolatedEnv;
let provider: TestProvider;
let recon: Recon;
let pool: pg.Pool;

beforeAll(async () => {
  env = await createIsolatedEnv('oidc_sign_in');
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

const whoAmI = async (cookie: string | undefined) =>
  (await (await recon.app.request(`${RECON_ORIGIN}/api/session`, { headers: { cookie: cookie ?? '' } })).json()) as {
    user?: { name: string; role: string };
    csrfToken?: string;
  };

describe('OpenID Connect sign-in', () => {
  it('the sign-in options offer the provider by name, beside the password', async () => {
    const response = await recon.app.request(`${RECON_ORIGIN}/api/sign-in-options`);
    expect(await response.json()).toEqual({
      password: true,
      oidc: { name: 'Test IdP', startUrl: '/api/session/oidc/start' },
    });
  });

  it('sends the browser to the provider with PKCE, state and nonce', async () => {
    const start = await recon.app.request(`${RECON_ORIGIN}/api/session/oidc/start`);
    expect(start.status).toBe(302);
    const url = new URL(start.headers.get('location')!);
    expect(url.origin).toBe(provider.issuer);
    expect(url.searchParams.get('redirect_uri')).toBe(CALLBACK_URL);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    for (const name of ['state', 'nonce', 'code_challenge']) expect(url.searchParams.get(name)).toMatch(/^[\w-]{20,}$/);
    expect(start.headers.get('set-cookie')).toMatch(/recon_oidc_flow=.*HttpOnly.*SameSite=Lax/);
  });

  it('an operator-group user gets an operator session: cookie, CSRF token, back to the UI', async () => {
    const { response, cookie } = await signInWithOidc(recon, 'olga');
    expect(response.status, await response.clone().text()).toBe(302);
    expect(response.headers.get('location')).toBe('/');
    expect(response.headers.get('set-cookie')).toMatch(/recon_session=[\w-]{40,}; .*HttpOnly.*SameSite=Strict/);
    const me = await whoAmI(cookie);
    expect(me.user).toEqual({ name: 'olga', role: 'operator' });
    expect(me.csrfToken).toMatch(/^[\w-]{40,}$/);
  });

  it('each group gives its role: viewer and admin', async () => {
    expect((await whoAmI((await signInWithOidc(recon, 'vera')).cookie)).user).toEqual({ name: 'vera', role: 'viewer' });
    expect((await whoAmI((await signInWithOidc(recon, 'ada')).cookie)).user).toEqual({ name: 'ada', role: 'admin' });
  });

  it('audits the sign-in: who, how, and the role granted', async () => {
    await signInWithOidc(recon, 'olga');
    const { rows } = await pool.query(
      "SELECT actor, role, target, new_role, detail FROM audit_log WHERE event = 'user-signed-in' AND actor = 'olga'",
    );
    expect(rows.at(-1)).toEqual({
      actor: 'olga',
      role: 'operator',
      target: 'user:olga',
      new_role: 'operator',
      detail: `openid ${provider.issuer}`,
    });
  });

  it('a demotion at the provider applies at the next sign-in, in every open session of the user', async () => {
    const first = await signInWithOidc(recon, 'ada');
    provider.groups.set('ada', ['recon-viewers']);
    const second = await signInWithOidc(recon, 'ada');
    expect((await whoAmI(second.cookie)).user?.role).toBe('viewer');
    expect((await whoAmI(first.cookie)).user?.role).toBe('viewer');
    provider.groups.set('ada', ['recon-admins']);
  });

  it('losing every mapped group at the provider ends the user’s open sessions at the next sign-in', async () => {
    const first = await signInWithOidc(recon, 'olga');
    provider.groups.set('olga', ['staff']);
    try {
      expect((await signInWithOidc(recon, 'olga')).response.status).toBe(403);
      expect((await whoAmI(first.cookie)).user).toBeUndefined();
    } finally {
      provider.groups.set('olga', ['staff', 'recon-operators']);
    }
  });

  it('password sign-in still works beside it, and is audited as such', async () => {
    const response = await recon.app.request(`${RECON_ORIGIN}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    expect(response.status).toBe(200);
    const { rows } = await pool.query(
      "SELECT role, new_role, detail FROM audit_log WHERE event = 'user-signed-in' AND actor = $1",
      [ADMIN.name],
    );
    expect(rows).toEqual([{ role: 'admin', new_role: 'admin', detail: 'password' }]);
  });
});
