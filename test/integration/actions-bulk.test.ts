import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recon } from '../../server/recon.ts';
import { getJson } from '../support/actions.ts';
import { type DemoHarness, startDemo } from '../support/demo-harness.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { startTestRecon } from '../support/recon-harness.ts';
import { addUser, postJson } from '../support/users.ts';
import { waitFor } from '../support/wait-for.ts';

const POISON = 12;

// Bulk actions: a dry run first, then a rate-capped run with per-item outcomes that can be cancelled.
describe('bulk actions', () => {
  let env: IsolatedEnv;
  let demo: DemoHarness;
  let recon: Recon;
  let operator: string;
  let letterIds: string[];

  const bulkPost = (body: object, key?: string) =>
    recon.app.request('/api/bulk-actions', postJson(operator, body, key ? { 'idempotency-key': key } : {}));

  beforeAll(async () => {
    env = await createIsolatedEnv('actions_bulk');
    demo = await startDemo(env);
    recon = await startTestRecon(env, { RECON_BULK_OPERATOR_MAX: '20' });
    operator = await addUser(env, 'otto', 'operator');
    for (let i = 0; i < POISON; i++) await demo.system.orders.publishPoison();
    letterIds = await waitFor('every poison message in custody', async () => {
      const page = await getJson(recon, '/api/findings?kind=dead-letter&state=open&limit=100');
      return page.items.length === POISON && page.items.map((f: { id: string }) => f.id);
    });
  });
  afterAll(async () => {
    await recon?.stop();
    await demo?.stop();
    await env?.destroy();
  });

  it('a dry run says what would happen to each item and changes nothing', async () => {
    const reply = await bulkPost({
      action: 'discard',
      reason: 'poison from a bad deploy',
      findingIds: [...letterIds, 'stuck-outbox:nope'],
      dryRun: true,
    });
    const plan = (await reply.json()) as {
      total: number;
      willAct: number;
      items: Array<{ plan: string; detail: string }>;
    };
    expect(plan).toMatchObject({ total: POISON + 1, willAct: POISON });
    expect(plan.items.at(-1)).toMatchObject({ plan: 'skip', detail: 'no such finding' });
    expect(plan.items[0]!.detail).toMatch(/^Mark dead letter \d+ discarded/);
    expect((await getJson(recon, '/api/actions', operator)).items).toEqual([]);
  });

  it('more findings than an operator may take at once needs an admin', async () => {
    const ids = Array.from({ length: 21 }, (_, i) => `dead-letter:x${i}`);
    const reply = await bulkPost({ action: 'discard', reason: 'too many', findingIds: ids, dryRun: true });
    expect(reply.status).toBe(403);
  });

  it('runs at the rate cap with progress, stops on cancel, and never calls a partial run completed', async () => {
    const started = await bulkPost(
      { action: 'discard', reason: 'poison from a bad deploy', findingIds: letterIds, ratePerSecond: 2 },
      randomUUID(),
    );
    expect(started.status).toBe(202);
    const { href } = (await started.json()) as { href: string };
    await waitFor('two items done', async () => ((await getJson(recon, href, operator)).counts.done ?? 0) >= 2);
    const cancel = await recon.app.request(`${href}/cancel`, postJson(operator, {}));
    expect(cancel.status).toBe(202);

    const bulk = await waitFor('the bulk to stop', async () => {
      const b = await getJson(recon, href, operator);
      return b.status === 'cancelled' && b;
    });
    expect(bulk.counts.done).toBeGreaterThanOrEqual(2);
    expect(bulk.counts.cancelled).toBeGreaterThan(0);
    expect(bulk.counts.done + bulk.counts.cancelled).toBe(POISON);
    const discarded = (await getJson(recon, '/api/dead-letters?limit=100', operator)).items.filter(
      (l: { state: string }) => l.state === 'discarded',
    );
    expect(discarded).toHaveLength(bulk.counts.done);
  });
});
