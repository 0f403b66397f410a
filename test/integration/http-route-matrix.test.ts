import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../server/auth/user-rules.ts';
import { ROUTE_TABLE, type RouteRule } from '../../server/http/route-table.ts';
import type { Recon } from '../../server/recon.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { checkedAgainstOpenApi } from '../support/openapi.ts';
import { startTestRecon } from '../support/recon-harness.ts';
import { requestFor } from '../support/route-requests.ts';
import { addUser } from '../support/users.ts';

// The role × route matrix, generated from the route table the server enforces (server/http/route-table.ts): every
// route, every kind of caller. "Allowed" means the guard let the request through; the handler may still answer
// 400/404/409 for the sample's made-up ids, but never 401 or 403.

type Caller = 'anonymous' | Role;
const CALLERS: readonly Caller[] = ['anonymous', ...ROLES];

function expected(rule: RouteRule, caller: Caller): 401 | 403 | 'allowed' {
  // "Who am I" is public, and its answer to nobody is 401: that is how the UI knows to show the sign-in page.
  if (rule.method === 'GET' && rule.path === '/api/session' && caller === 'anonymous') return 401;
  if (rule.access === 'public' || rule.access === 'metrics') return 'allowed';
  if (caller === 'anonymous') return 401;
  return ROLES.indexOf(caller) >= ROLES.indexOf(rule.access) ? 'allowed' : 403;
}

let env: IsolatedEnv;
let recon: Recon;
const auth: Partial<Record<Caller, string>> = {};

beforeAll(async () => {
  env = await createIsolatedEnv('route-matrix');
  recon = await startTestRecon(env);
  for (const role of ROLES) auth[role] = await addUser(env, `matrix-${role}`, role);
});

afterAll(async () => {
  await recon?.stop();
  await env?.destroy();
});

describe('role × route matrix from the route table', () => {
  const cases = ROUTE_TABLE.flatMap((rule) => CALLERS.map((caller) => ({ rule, caller })));
  it.each(cases)('$rule.method $rule.path as $caller', async ({ rule, caller }) => {
    const headers: Record<string, string> = auth[caller] ? { authorization: auth[caller] } : {};
    const request = requestFor(rule, headers);
    // Every answer, allowed or refused, is what /api/openapi.json says this route answers.
    const response = await checkedAgainstOpenApi(
      rule.method,
      new URL(request.url).pathname,
      await recon.app.request(request),
    );
    const want = expected(rule, caller);
    if (want === 'allowed') expect([401, 403]).not.toContain(response.status);
    else expect(response.status, await response.text()).toBe(want);
  });

  it('every handler the app registers has a row (an unlisted one would stop the app at start)', () => {
    const listed = new Set(ROUTE_TABLE.map((rule) => `${rule.method} ${rule.path}`));
    const handlers = recon.app.routes.filter((route) => route.method !== 'ALL');
    expect(handlers.length).toBeGreaterThan(ROUTE_TABLE.length);
    expect(handlers.filter((route) => !listed.has(`${route.method} ${route.path}`))).toEqual([]);
  });
});

describe('state-changing routes refuse what a cross-site page can send', () => {
  const writes = ROUTE_TABLE.filter((rule) => rule.method !== 'GET');

  it.each(writes)('$method $path: text/plain → 415', async (rule) => {
    const request = requestFor(rule, { authorization: auth.admin!, 'content-type': 'text/plain' });
    expect((await recon.app.request(request)).status).toBe(415);
  });

  it.each(writes)('$method $path: no Content-Type → 415', async (rule) => {
    const request = requestFor(rule, { authorization: auth.admin! });
    request.headers.delete('content-type');
    const bare = new Request(request.url, { method: request.method, headers: request.headers, body: new Blob(['{}']) });
    expect(bare.headers.get('content-type')).toBeNull();
    expect((await recon.app.request(bare)).status).toBe(415);
  });

  it.each(writes)('$method $path: foreign Origin → 403', async (rule) => {
    const request = requestFor(rule, { authorization: auth.admin!, origin: 'https://evil.example' });
    const response = await recon.app.request(request);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      error: { code: 'forbidden', message: 'cross-origin request from https://evil.example refused' },
    });
  });

  it.each(writes)('$method $path: Sec-Fetch-Site cross-site → 403', async (rule) => {
    const request = requestFor(rule, { authorization: auth.admin!, 'sec-fetch-site': 'cross-site' });
    expect((await recon.app.request(request)).status).toBe(403);
  });
});
