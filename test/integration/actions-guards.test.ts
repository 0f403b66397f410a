import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorJson, InvalidParameter } from '../../server/http/wire.ts';
import type { Recon } from '../../server/recon.ts';
import { act, getJson, waitForFindingState } from '../support/actions.ts';
import { type DemoHarness, placeOrders, startDemo } from '../support/demo-harness.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { startTestRecon } from '../support/recon-harness.ts';
import { addUser } from '../support/users.ts';
import { waitFor } from '../support/wait-for.ts';

// S2, S3 and principle 9 of reference/reliability.md, against the real services: who may call each action route,
// which writes the server refuses, and the read-only switch. Every refused write is checked for having left no
// trace: no action, no audit row, no dispatch, and the finding still open.

type Caller = 'anonymous' | 'wrong password' | 'viewer' | 'operator' | 'admin';
type Expected = 401 | 403 | 'allowed';
type Route = 'POST /api/findings/:id/actions' | 'GET /api/actions' | 'GET /api/actions/:id' | 'GET /api/audit';

/** DESIGN "Security": viewers read, operators act, admins may do all an operator may. */
const MATRIX: Record<Route, Record<Caller, Expected>> = {
  'POST /api/findings/:id/actions': {
    anonymous: 401,
    'wrong password': 401,
    viewer: 403,
    operator: 'allowed',
    admin: 'allowed',
  },
  'GET /api/actions': {
    anonymous: 401,
    'wrong password': 401,
    viewer: 'allowed',
    operator: 'allowed',
    admin: 'allowed',
  },
  'GET /api/actions/:id': {
    anonymous: 401,
    'wrong password': 401,
    viewer: 'allowed',
    operator: 'allowed',
    admin: 'allowed',
  },
  'GET /api/audit': { anonymous: 401, 'wrong password': 401, viewer: 'allowed', operator: 'allowed', admin: 'allowed' },
};

const REASON = 'test: the courier never heard of this order';
const findingOf = (orderId: string) => `order-without-dispatch:${orderId}`;
const actionsUrl = (findingId: string) => `http://localhost/api/findings/${encodeURIComponent(findingId)}/actions`;

/** A POST that is valid in every respect but the headers given: only they can be why it is refused. */
const postAction = (findingId: string, headers: Record<string, string>, body: RequestInit['body'] = actionBody()) =>
  new Request(actionsUrl(findingId), {
    method: 'POST',
    headers: { 'idempotency-key': randomUUID(), ...headers },
    body,
  });
const actionBody = (fields: Record<string, unknown> = {}) =>
  JSON.stringify({ action: 'redeliver', reason: REASON, ...fields });

describe('guards around repair actions', () => {
  let env: IsolatedEnv;
  let demo: DemoHarness;
  let recon: Recon;
  let reconPool: pg.Pool;
  let auth: Record<Caller, string | undefined>;
  /** An open order-without-dispatch finding nobody may touch: every refused write must leave it as it is. */
  let untouched: string;
  /** A redeliver that really ran, for the GET routes to show. */
  let actionId: string;

  const count = async (pool: pg.Pool, sql: string, param: string) =>
    (await pool.query<{ n: number }>(sql, [param])).rows[0]!.n;
  const tracesOf = async (orderId: string) => {
    const findingId = findingOf(orderId);
    const listed = await getJson(recon, `/api/actions?findingId=${encodeURIComponent(findingId)}`, auth.viewer);
    return {
      actionRows: await count(reconPool, 'SELECT count(*)::int AS n FROM actions WHERE finding_id = $1', findingId),
      auditRows: await count(
        reconPool,
        'SELECT count(*)::int AS n FROM audit_log WHERE target = $1',
        `order:${orderId}`,
      ),
      actionsListed: listed.items.length,
      dispatchRows: await count(
        demo.system.dispatchPool,
        'SELECT count(*)::int AS n FROM dispatches WHERE order_id = $1',
        orderId,
      ),
      orderRows: await count(demo.system.ordersPool, 'SELECT count(*)::int AS n FROM orders WHERE id = $1', orderId),
      findingState: (await getJson(recon, `/api/findings/${encodeURIComponent(findingId)}`)).state,
    };
  };
  const NO_TRACE = {
    actionRows: 0,
    auditRows: 0,
    actionsListed: 0,
    dispatchRows: 0,
    orderRows: 1,
    findingState: 'open',
  };

  beforeAll(async () => {
    env = await createIsolatedEnv('actions_guards');
    demo = await startDemo(env, { replenishDelayMs: 200 });
    recon = await startTestRecon(env, { RECON_GRACE_SECONDS: '2' });
    reconPool = new pg.Pool({ connectionString: env.reconDatabaseUrl, max: 2 });
    auth = {
      anonymous: undefined,
      'wrong password': `Basic ${Buffer.from('olga:not-olgas-password').toString('base64')}`,
      viewer: await addUser(env, 'vera', 'viewer'),
      operator: await addUser(env, 'olga', 'operator'),
      admin: await addUser(env, 'ada', 'admin'),
    };
    const [first, second] = await placeOrders(demo, 2);
    untouched = first!;
    const repaired = second!;
    await waitFor('both dispatches', async () => {
      const { rows } = await demo.system.dispatchPool.query('SELECT 1 FROM dispatches WHERE order_id = ANY($1)', [
        [untouched, repaired],
      ]);
      return rows.length === 2;
    });
    await demo.system.dispatchPool.query('DELETE FROM dispatches WHERE order_id = ANY($1)', [[untouched, repaired]]);
    await waitForFindingState(recon, 'order-without-dispatch', untouched, 'open');
    await waitForFindingState(recon, 'order-without-dispatch', repaired, 'open');
    const reply = await act(recon, auth.operator!, findingOf(repaired), { action: 'redeliver' });
    expect([reply.status, reply.json.status]).toEqual([201, 'done']);
    actionId = reply.json.id;
  });
  afterAll(async () => {
    await reconPool?.end();
    await recon?.stop();
    await demo?.stop();
    await env?.destroy();
  });

  describe('roles on every action route (S3)', () => {
    const requestFor: Record<Route, () => Request> = {
      // An unknown finding: a caller who gets through reaches the handler, which answers 404 and changes nothing.
      'POST /api/findings/:id/actions': () =>
        postAction(findingOf(randomUUID()), { 'content-type': 'application/json' }),
      'GET /api/actions': () => new Request('http://localhost/api/actions'),
      'GET /api/actions/:id': () => new Request(`http://localhost/api/actions/${actionId}`),
      'GET /api/audit': () => new Request(`http://localhost/api/audit?actionId=${actionId}`),
    };
    /** What the route's own handler answers, so "allowed" cannot be a 404 of a route that is not there. */
    // biome-ignore lint/suspicious/noExplicitAny: a JSON reply the test inspects
    const handlerAnswered: Record<Route, (status: number, json: any) => void> = {
      'POST /api/findings/:id/actions': (status, json) =>
        expect([status, json]).toEqual([404, { error: { code: 'not-found', message: 'no such finding' } }]),
      'GET /api/actions': (status, json) => {
        expect(status).toBe(200);
        expect(json.items.map((a: { id: string }) => a.id)).toContain(actionId);
      },
      'GET /api/actions/:id': (status, json) => expect([status, json.id]).toEqual([200, actionId]),
      'GET /api/audit': (status, json) => {
        expect(status).toBe(200);
        expect(json.items.map((e: { event: string }) => e.event).sort()).toEqual(['outcome', 'requested']);
      },
    };
    const send = async (route: Route, caller: Caller) => {
      const request = requestFor[route]();
      if (auth[caller]) request.headers.set('authorization', auth[caller]);
      const response = await recon.app.request(request);
      // biome-ignore lint/suspicious/noExplicitAny: a JSON reply the test inspects
      return { response, json: (await response.json()) as any };
    };

    for (const [route, row] of Object.entries(MATRIX) as Array<[Route, Record<Caller, Expected>]>) {
      for (const [caller, expected] of Object.entries(row) as Array<[Caller, Expected]>) {
        if (expected === 401 && caller === 'anonymous')
          it(`${route} asks an anonymous caller to sign in: 401 with a WWW-Authenticate challenge`, async () => {
            const { response } = await send(route, caller);
            expect(response.status).toBe(401);
            expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm="Recon"/);
          });
        else if (expected === 401)
          it(`${route} refuses a ${caller} with 401`, async () => {
            const { response, json } = await send(route, caller);
            expect([response.status, json.error.message]).toEqual([401, 'wrong user name or password']);
            expect(response.headers.get('www-authenticate')).toMatch(/^Basic /);
          });
        else if (expected === 403)
          it(`${route} refuses a ${caller} with 403`, async () => {
            const { response, json } = await send(route, caller);
            expect(response.status).toBe(403);
            expect(json.error.message).toContain('role is required');
          });
        else
          it(`${route} lets ${caller === 'viewer' ? 'a' : 'an'} ${caller} through to its handler`, async () => {
            const { response, json } = await send(route, caller);
            handlerAnswered[route](response.status, json);
          });
      }
    }
  });

  describe('writes that are not same-origin JSON (S2)', () => {
    const json = 'application/json';
    const refused: Array<{
      what: string;
      headers: Record<string, string>;
      contentType: string | null;
      status: number;
    }> = [
      { what: 'a text/plain body', headers: { 'content-type': 'text/plain' }, contentType: 'text/plain', status: 415 },
      { what: 'no Content-Type', headers: {}, contentType: null, status: 415 },
      {
        what: 'a foreign Origin',
        headers: { 'content-type': json, origin: 'https://evil.example' },
        contentType: json,
        status: 403,
      },
      {
        what: 'Sec-Fetch-Site: cross-site',
        headers: { 'content-type': json, 'sec-fetch-site': 'cross-site' },
        contentType: json,
        status: 403,
      },
    ];

    for (const { what, headers, contentType, status } of refused)
      it(`refuses an operator's action sent with ${what} (${status}) and claims nothing`, async () => {
        // Bytes, not a string: fetch would add text/plain to a string body sent without a Content-Type.
        const request = postAction(
          findingOf(untouched),
          { ...headers, authorization: auth.operator! },
          new TextEncoder().encode(actionBody()),
        );
        expect(request.headers.get('content-type')).toBe(contentType);
        const response = await recon.app.request(request);
        expect(response.status).toBe(status);
        expect(await tracesOf(untouched)).toEqual(NO_TRACE);
      });

    it('lets a same-origin JSON write through to the handler', async () => {
      const request = postAction(findingOf(randomUUID()), {
        'content-type': 'application/json; charset=utf-8',
        origin: 'http://localhost',
        'sec-fetch-site': 'same-origin',
        authorization: auth.operator!,
      });
      const response = await recon.app.request(request);
      expect([response.status, await response.json()]).toEqual([
        404,
        { error: { code: 'not-found', message: 'no such finding' } },
      ]);
    });
  });

  describe('read-only mode (principle 9)', () => {
    it('refuses an operator and an admin on a Recon started with RECON_READ_ONLY=true, and claims nothing', async () => {
      const readOnly = await startTestRecon(env, { RECON_READ_ONLY: 'true' });
      try {
        for (const caller of ['operator', 'admin'] as const) {
          const reply = await act(readOnly, auth[caller]!, findingOf(untouched), { action: 'redeliver' });
          expect(reply.status).toBe(403);
          expect(reply.json.error.message).toContain('RECON_READ_ONLY');
        }
      } finally {
        await readOnly.stop();
      }
      expect(await tracesOf(untouched)).toEqual(NO_TRACE);
    });
  });

  describe('validation', () => {
    const invalid: Array<{ what: string; key?: string | null; fields?: Record<string, unknown>; names: string }> = [
      { what: 'without an Idempotency-Key', key: null, names: 'Idempotency-Key' },
      { what: 'with an Idempotency-Key of 201 characters', key: 'k'.repeat(201), names: 'Idempotency-Key' },
      { what: 'without a reason', fields: { reason: undefined }, names: 'reason' },
      { what: 'with an empty reason', fields: { reason: '' }, names: 'reason' },
      { what: 'with a reason of two characters', fields: { reason: 'ok' }, names: 'reason' },
      { what: 'with a reason of only spaces', fields: { reason: '        ' }, names: 'reason' },
      { what: 'naming an unknown action', fields: { action: 'reboot' }, names: 'action' },
    ];
    for (const { what, key, fields, names } of invalid)
      it(`answers 400 naming ${names} to an action ${what}, and claims nothing`, async () => {
        const request = postAction(
          findingOf(untouched),
          { 'content-type': 'application/json', authorization: auth.operator! },
          actionBody(fields),
        );
        if (key === null) request.headers.delete('idempotency-key');
        else if (key !== undefined) request.headers.set('idempotency-key', key);
        const response = await recon.app.request(request);
        const json = (await response.json()) as ErrorJson & { error: { details: InvalidParameter[] } };
        expect(response.status).toBe(400);
        expect(json.error.message).toContain(names);
        expect(json.error.details.map((d) => d.parameter)).toContain(names);
        expect(await tracesOf(untouched)).toEqual(NO_TRACE);
      });

    it("answers 422 to an action that does not apply to the finding's kind, and claims nothing", async () => {
      const reply = await act(recon, auth.operator!, findingOf(untouched), { action: 'republish' });
      expect(reply.status).toBe(422);
      expect(reply.json.error.message).toContain('republish does not apply');
      expect(await tracesOf(untouched)).toEqual(NO_TRACE);
    });

    it('answers 404 to an action on a finding that does not exist, and claims nothing', async () => {
      const unknown = findingOf(randomUUID());
      const reply = await act(recon, auth.operator!, unknown, { action: 'redeliver' });
      expect([reply.status, reply.json]).toEqual([404, { error: { code: 'not-found', message: 'no such finding' } }]);
      expect(await count(reconPool, 'SELECT count(*)::int AS n FROM actions WHERE finding_id = $1', unknown)).toBe(0);
    });
  });
});
