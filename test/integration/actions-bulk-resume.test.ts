import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recon } from '../../server/recon.ts';
import { getJson } from '../support/actions.ts';
import { type DemoHarness, startDemo } from '../support/demo-harness.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { startTestRecon } from '../support/recon-harness.ts';
import { addUser, postJson } from '../support/users.ts';
import { waitFor } from '../support/wait-for.ts';

const POISON = 4;

// A bulk whose replica stops mid-run is not left `interrupted` for ever: the leader's sweeper takes it once its
// runner has been silent for a minute and runs the items still queued, each under its own idempotency key, so
// nothing the stopped replica already did runs twice.
describe('a bulk whose replica stopped', () => {
  let env: IsolatedEnv;
  let demo: DemoHarness;
  let first: Recon | undefined;
  let second: Recon | undefined;
  let pool: pg.Pool;
  let operator: string;
  let letterIds: string[];

  beforeAll(async () => {
    env = await createIsolatedEnv('actions_bulk_resume');
    demo = await startDemo(env);
    pool = new pg.Pool({ connectionString: env.reconDatabaseUrl, max: 1 });
    first = await startTestRecon(env);
    operator = await addUser(env, 'otto', 'operator');
    for (let i = 0; i < POISON; i++) await demo.system.orders.publishPoison();
    letterIds = await waitFor('every poison message in custody', async () => {
      const page = await getJson(first!, '/api/findings?kind=dead-letter&state=open&limit=100');
      return page.items.length === POISON && page.items.map((f: { id: string }) => f.id);
    });
  });
  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await pool?.end();
    await demo?.stop();
    await env?.destroy();
  });

  it('is resumed by the next leader and finishes, each letter discarded once', async () => {
    const started = await first!.app.request(
      '/api/bulk-actions',
      postJson(
        operator,
        { action: 'discard', reason: 'poison from a bad deploy', findingIds: letterIds, ratePerSecond: 0.5 },
        { 'idempotency-key': randomUUID() },
      ),
    );
    expect(started.status).toBe(202);
    const { id, href } = (await started.json()) as { id: string; href: string };
    await waitFor('the first item done', async () => ((await getJson(first!, href, operator)).counts.done ?? 0) >= 1);
    await first!.stop();
    first = undefined;
    // A minute of silence, as a killed replica would leave it, without the test waiting the minute.
    await pool.query(`UPDATE bulk_actions SET heartbeat_at = now() - interval '2 minutes' WHERE id = $1`, [id]);

    second = await startTestRecon(env);
    expect((await getJson(second, href, operator)).status).not.toBe('completed');
    const bulk = await waitFor(
      'the bulk to finish on the next leader',
      async () => {
        const b = await getJson(second!, href, operator);
        return b.status === 'completed' && b;
      },
      { timeoutMs: 45_000 },
    );
    expect(bulk.counts).toEqual({ done: POISON });
    const { rows } = await pool.query<{ target: string; n: number }>(
      `SELECT target, count(*)::int AS n FROM actions WHERE action = 'discard' GROUP BY target`,
    );
    expect(rows).toHaveLength(POISON);
    expect(rows.every((r) => r.n === 1)).toBe(true);
  });
});
