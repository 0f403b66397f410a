import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recon } from '../../server/recon.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { startTestRecon } from '../support/recon-harness.ts';
import { ADMIN_AUTH, addUser, postJson } from '../support/users.ts';

// A bulk is refused up front the way a single action is: a reused Idempotency-Key with another body is a 422, a
// read-only Recon a 403, and a body of many bad ids a short 400 (the first problems and a count).

let env: IsolatedEnv;
let recon: Recon;
let operator: string;

beforeAll(async () => {
  env = await createIsolatedEnv('bulk_guards');
  recon = await startTestRecon(env);
  operator = await addUser(env, 'bulk-guard-op', 'operator');
});

afterAll(async () => {
  await recon?.stop();
  await env?.destroy();
});

const bulkPost = (app: Recon, body: object, key: string, authorization = operator) =>
  app.app.request('/api/bulk-actions', postJson(authorization, body, { 'idempotency-key': key }));
const errorOf = async (response: Response) =>
  ((await response.json()) as { error: { code: string; message: string; details?: unknown[] } }).error;

describe('bulk action guards', () => {
  it('the same Idempotency-Key with another body is a 422, the same body a replay', async () => {
    const key = randomUUID();
    const body = { action: 'discard', reason: 'poison from a bad deploy', findingIds: ['dead-letter:1'] };
    const first = await bulkPost(recon, body, key);
    expect(first.status).toBe(202);
    const { id } = (await first.json()) as { id: string };

    const again = await bulkPost(recon, body, key);
    expect(again.status).toBe(202);
    expect(await again.json()).toMatchObject({ id, isReplay: true });

    for (const changed of [
      { ...body, findingIds: ['dead-letter:2'] },
      { ...body, reason: 'another reason' },
      { ...body, ratePerSecond: 1 },
      { action: 'discard', reason: body.reason, filter: { kind: 'dead-letter' } },
    ]) {
      const reused = await bulkPost(recon, changed, key);
      expect(reused.status).toBe(422);
      expect(await errorOf(reused)).toMatchObject({
        code: 'unprocessable',
        message: expect.stringMatching(/different/),
      });
    }
  });

  it('a read-only Recon refuses a bulk up front with a 403 and starts nothing', async () => {
    const readOnly = await startTestRecon(env, { RECON_READ_ONLY: 'true' });
    try {
      const body = { action: 'discard', reason: 'refused: read-only', findingIds: ['dead-letter:3'] };
      for (const authorization of [operator, ADMIN_AUTH]) {
        const refused = await bulkPost(readOnly, body, randomUUID(), authorization);
        expect(refused.status).toBe(403);
        expect(await errorOf(refused)).toMatchObject({
          code: 'read-only',
          message: expect.stringMatching(/RECON_READ_ONLY/),
        });
      }
    } finally {
      await readOnly.stop();
    }
    const pool = new pg.Pool({ connectionString: env.reconDatabaseUrl, max: 1 });
    const { rows } = await pool.query(
      "SELECT count(*)::int AS n FROM bulk_actions WHERE reason = 'refused: read-only'",
    );
    await pool.end();
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('10,000 bad ids get a short 400: the first 20 problems and how many more', async () => {
    const findingIds = Array.from({ length: 10_000 }, (_, i) => i); // numbers, not finding ids
    const response = await bulkPost(
      recon,
      { action: 'discard', reason: 'many', findingIds, dryRun: true },
      randomUUID(),
      ADMIN_AUTH,
    );
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(text.length).toBeLessThan(8_000);
    const { error } = JSON.parse(text) as { error: { message: string; details: Array<{ parameter: string }> } };
    expect(error.details).toHaveLength(20);
    expect(error.details[0]).toMatchObject({ parameter: 'findingIds.0' });
    expect(error.message).toMatch(/and 9980 more/);
  });
});
