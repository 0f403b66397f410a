import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/http/app.ts';
import type { ErrorCode } from '../../server/http/wire.ts';
import { createMetrics } from '../../server/metrics/registry.ts';
import { createMetricsState } from '../../server/metrics/state.ts';
import type { Recon } from '../../server/recon.ts';
import { createUserStore } from '../../server/store/user-store.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { writeJudgements } from '../support/judgement-builders.ts';
import { startTestRecon } from '../support/recon-harness.ts';
import { addUser, postJson } from '../support/users.ts';

// Every way a request can fail comes back in the one shape, { error: { code, message, details? } }, from a real
// Recon (its own databases and vhost) through app.request(): the UI and scripts read one thing.

/** Enough for the operator's four action requests below; the hasty operator goes one over. */
const ACTIONS_PER_MINUTE = 5;

let env: IsolatedEnv;
let recon: Recon;
let pool: pg.Pool;
const auth: Record<'viewer' | 'operator' | 'hasty', string> = { viewer: '', operator: '', hasty: '' };
/** A finding that opened and resolved again: an action on it is a 409. */
let resolvedId: string;

beforeAll(async () => {
  env = await createIsolatedEnv('error-shape');
  recon = await startTestRecon(env, { RECON_ACTIONS_PER_MINUTE: String(ACTIONS_PER_MINUTE) });
  pool = new pg.Pool({ connectionString: env.reconDatabaseUrl, max: 2 });
  auth.viewer = await addUser(env, 'shape-viewer', 'viewer');
  auth.operator = await addUser(env, 'shape-operator', 'operator');
  auth.hasty = await addUser(env, 'shape-hasty', 'operator');
  const key = randomUUID();
  const opened = new Date(Date.now() - 10 * 60_000);
  await writeJudgements(
    recon.store,
    [{ kind: 'order-without-dispatch', key, verdict: 'mismatch', severity: 'warning', evidence: { orderId: key } }],
    opened,
  );
  await writeJudgements(
    recon.store,
    [{ kind: 'order-without-dispatch', key, verdict: 'ok', severity: 'warning' }],
    new Date(opened.getTime() + 60_000),
  );
  resolvedId = `order-without-dispatch:${key}`;
});

afterAll(async () => {
  await pool?.end();
  await recon?.stop();
  await env?.destroy();
});

const get = (path: string, authorization?: string) =>
  recon.app.request(path, { headers: authorization ? { authorization } : {} });
const act = (findingId: string, authorization: string, action = 'redeliver') =>
  recon.app.request(
    `/api/findings/${encodeURIComponent(findingId)}/actions`,
    postJson(authorization, { action, reason: 'error shape test' }, { 'idempotency-key': randomUUID() }),
  );

interface Case {
  what: string;
  send(): Response | Promise<Response>;
  status: number;
  code: ErrorCode;
  message: string | RegExp;
  details?: unknown;
}

const cases: Case[] = [
  {
    what: 'a query parameter out of range',
    send: () => get('/api/findings?limit=0', auth.viewer),
    status: 400,
    code: 'bad-request',
    message: 'invalid query parameter: limit',
    details: [{ parameter: 'limit', message: expect.any(String) }],
  },
  {
    what: 'an action without an Idempotency-Key',
    send: () =>
      recon.app.request(
        `/api/findings/${encodeURIComponent(resolvedId)}/actions`,
        postJson(auth.operator, { action: 'redeliver', reason: 'error shape test' }),
      ),
    status: 400,
    code: 'bad-request',
    message: 'invalid header: Idempotency-Key',
    details: [{ parameter: 'Idempotency-Key', message: expect.any(String) }],
  },
  {
    what: 'no credentials',
    send: () => get('/api/findings'),
    status: 401,
    code: 'unauthorized',
    message: 'sign in required',
  },
  {
    what: 'a wrong password',
    send: () => get('/api/findings', `Basic ${Buffer.from('shape-viewer:wrong').toString('base64')}`),
    status: 401,
    code: 'unauthorized',
    message: 'wrong user name or password',
  },
  {
    what: 'a role too low',
    send: () => get('/api/users', auth.viewer),
    status: 403,
    code: 'forbidden',
    message: 'the admin role is required; shape-viewer is viewer',
  },
  {
    what: 'a write from a foreign Origin',
    send: () => recon.app.request('/api/bulk-actions', postJson(auth.operator, {}, { origin: 'https://evil.example' })),
    status: 403,
    code: 'forbidden',
    message: 'cross-origin request from https://evil.example refused',
  },
  {
    what: 'a write that is not JSON',
    send: () =>
      recon.app.request('/api/users', {
        method: 'POST',
        headers: { authorization: auth.operator, 'content-type': 'text/plain' },
        body: '{}',
      }),
    status: 415,
    code: 'unsupported-media-type',
    message: 'Content-Type must be application/json',
  },
  {
    what: 'an unknown route',
    send: () => get('/api/nowhere', auth.viewer),
    status: 404,
    code: 'not-found',
    message: 'not found',
  },
  {
    what: 'no such finding',
    send: () => get(`/api/findings/stuck-outbox:${randomUUID()}`, auth.viewer),
    status: 404,
    code: 'not-found',
    message: /^no finding stuck-outbox:/,
  },
  {
    what: 'an action on no such finding',
    send: () => act(`order-without-dispatch:${randomUUID()}`, auth.operator),
    status: 404,
    code: 'not-found',
    message: 'no such finding',
  },
  {
    what: 'an action on a resolved finding',
    send: () => act(resolvedId, auth.operator),
    status: 409,
    code: 'conflict',
    message: /^the finding resolved at .*: nothing to repair$/,
  },
  {
    what: "an action that does not apply to the finding's kind",
    send: () => act(resolvedId, auth.operator, 'republish'),
    status: 422,
    code: 'unprocessable',
    message: 'republish does not apply to a order-without-dispatch finding',
  },
];

describe('one error shape', () => {
  it.each(cases)('$what: $status $code', async ({ send, status, code, message, details }) => {
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await response.json();
    expect(body).toEqual({
      error: {
        code,
        message: typeof message === 'string' ? message : expect.stringMatching(message),
        ...(details === undefined ? {} : { details }),
      },
    });
  });

  it('a rate limit: 429 with Retry-After', async () => {
    const replies: Response[] = [];
    for (let i = 0; i <= ACTIONS_PER_MINUTE; i += 1) replies.push(await act(resolvedId, auth.hasty));
    const limited = replies.at(-1)!;
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toEqual({
      error: { code: 'rate-limited', message: expect.stringMatching(/^too many actions: try again in \d+ s$/) },
    });
  });

  it('an unexpected failure: 500 that says "internal error" and nothing of the cause', async () => {
    const leak = new Error('connect to postgres://recon:s3cret@db failed');
    const failing = new Proxy(recon.store, {
      get: (target, name) => (name === 'listFindings' ? () => Promise.reject(leak) : Reflect.get(target, name)),
    });
    const app = createApp({
      store: failing,
      metrics: createMetrics(createMetricsState()),
      timeline: {
        keyFamily: async () => 'uuid' as const,
        orderHistory: async () => ({ order: null, outbox: [], dispatches: [] }),
      },
      isReady: async () => true,
      users: createUserStore(pool),
      logger: { error: () => {} },
    });
    const response = await app.request('/api/findings', { headers: { authorization: auth.viewer } });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: 'internal error' } });
    expect(text).not.toContain('s3cret');
  });
});
