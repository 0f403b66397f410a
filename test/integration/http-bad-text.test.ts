import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recon } from '../../server/recon.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { startTestRecon } from '../support/recon-harness.ts';
import { ADMIN_AUTH, postJson } from '../support/users.ts';

// PostgreSQL text cannot hold NUL, and a lone UTF-16 surrogate would be stored as U+FFFD (another value): such input
// is the client's mistake, so it is a 400 naming the field, never a 500 with a stack trace in the log.

let env: IsolatedEnv;
let recon: Recon;
const errorLogs: string[] = [];

beforeAll(async () => {
  env = await createIsolatedEnv('bad_text');
  const log = pino({ level: 'error' }, { write: (line: string) => void errorLogs.push(line) });
  recon = await startTestRecon(env, {}, { log });
});

afterAll(async () => {
  await recon?.stop();
  await env?.destroy();
});

const cursorHolding = (id: string) => Buffer.from(JSON.stringify(['1700000000000000', id])).toString('base64url');
const get = (path: string) => () => recon.app.request(path, { headers: { authorization: ADMIN_AUTH } });
const post = (path: string, body: unknown) => () =>
  recon.app.request(path, postJson(ADMIN_AUTH, body, { 'idempotency-key': `key-${Math.random()}` }));
const bulk = (body: object) => post('/api/bulk-actions', { action: 'discard', reason: 'a reason', ...body });

const cases: Array<{ what: string; send: () => Response | Promise<Response>; field: string }> = [
  { what: 'a finding id', send: get('/api/findings/dead-letter:%00abc'), field: 'id' },
  { what: 'a findings search', send: get('/api/findings?q=%00'), field: 'q' },
  {
    what: 'a findings cursor holding NUL',
    send: get(`/api/findings?cursor=${cursorHolding('a\u0000b')}`),
    field: 'cursor',
  },
  { what: 'a dead-letter search', send: get('/api/dead-letters?q=%00'), field: 'q' },
  { what: 'a dead-letter reason', send: get('/api/dead-letters?reason=a%00b'), field: 'reason' },
  { what: 'an actions filter', send: get('/api/actions?findingId=%00'), field: 'findingId' },
  { what: 'an order id', send: get('/api/orders/a%00b/timeline'), field: 'orderId' },
  {
    what: 'an action reason',
    send: post('/api/findings/dead-letter:1/actions', { action: 'discard', reason: 'no\u0000' }),
    field: 'reason',
  },
  {
    what: 'an action reason with a lone surrogate',
    send: post('/api/findings/dead-letter:1/actions', { action: 'discard', reason: 'bad \ud800' }),
    field: 'reason',
  },
  {
    what: 'the finding id of an action',
    send: post('/api/findings/dead-letter:%00/actions', { action: 'discard', reason: 'a reason' }),
    field: 'id',
  },
  {
    what: 'bulk finding ids',
    send: bulk({ findingIds: ['dead-letter:1', 'dead-letter:\u0000'], dryRun: true }),
    field: 'findingIds.1',
  },
  { what: 'a bulk filter', send: bulk({ filter: { q: '\u0000' }, dryRun: true }), field: 'filter.q' },
  {
    what: 'a new user name',
    send: post('/api/users', { name: 'a\u0000b', role: 'viewer', password: 'long-enough-password' }),
    field: 'name',
  },
];

describe('bad bytes in input', () => {
  it.each(cases)('$what is a 400 naming $field', async ({ send, field }) => {
    const response = await send();
    const body = (await response.json()) as { error: { code: string; details?: Array<{ parameter: string }> } };
    expect({ status: response.status, code: body.error.code }).toEqual({ status: 400, code: 'bad-request' });
    expect(body.error.details?.map((d) => d.parameter)).toContain(field);
  });

  it('a sign-in name holding NUL or a lone surrogate is a 400, even anonymously', async () => {
    for (const name of ['a\u0000b', '\udc00x']) {
      const response = await recon.app.request('/api/session', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, password: 'whatever-password' }),
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { details: unknown } }).error.details).toEqual([
        { parameter: 'name', message: expect.stringMatching(/NUL|surrogate/) },
      ]);
    }
  });

  it('logs no error for any of them', () => {
    expect(errorLogs).toEqual([]);
  });
});
