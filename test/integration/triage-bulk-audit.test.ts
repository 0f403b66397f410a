import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recon } from '../../server/recon.ts';
import { act, getJson, readApi } from '../support/actions.ts';
import { type DemoHarness, startDemo } from '../support/demo-harness.ts';
import { placeOrderAndLoseItsDispatch } from '../support/dispatch-rows.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { startTestRecon } from '../support/recon-harness.ts';
import { addUser, postJson } from '../support/users.ts';
import { waitFor } from '../support/wait-for.ts';

// Triage against a real Recon, broker and databases: a bulk's selection counted with the actions its kinds allow
// before any dry run; a bulk's progress counting the findings it resolved, not only the actions that finished; and
// the audit log filtered by actor, action, kind and time, each row with its finding and bulk, also as CSV.
const POISON = 4;

describe('triage: bulk selection, bulk outcome and the audit log', () => {
  let env: IsolatedEnv;
  let demo: DemoHarness;
  let recon: Recon;
  let otto: string;
  let olga: string;
  let viewer: string;
  let lostOrder: string;
  let bulkHref: string;
  const startedAt = new Date();

  beforeAll(async () => {
    env = await createIsolatedEnv('triage_bulk_audit');
    demo = await startDemo(env);
    recon = await startTestRecon(env, { RECON_GRACE_SECONDS: '2' });
    otto = await addUser(env, 'otto', 'operator');
    olga = await addUser(env, 'olga', 'operator');
    viewer = await addUser(env, 'vera', 'viewer');
    for (let i = 0; i < POISON; i++) await demo.system.orders.publishPoison();
    lostOrder = await placeOrderAndLoseItsDispatch(demo);
    await waitFor('the letters and the lost order as findings', async () => {
      const page = await getJson(recon, '/api/findings?state=open&limit=100');
      return page.items.length === POISON + 1;
    });
  });
  afterAll(async () => {
    await recon?.stop();
    await demo?.stop();
    await env?.destroy();
  });

  it('counts the findings a filter selects, per kind with the actions each allows, before any dry run', async () => {
    const all = await getJson(recon, '/api/bulk-selection', viewer);
    expect(all.total).toBe(POISON + 1);
    expect(all.kinds).toEqual([
      { kind: 'order-without-dispatch', count: 1, actions: ['redeliver'] },
      { kind: 'dead-letter', count: POISON, actions: ['redrive', 'discard'] },
    ]);
    const letters = await getJson(recon, '/api/bulk-selection?kind=dead-letter', viewer);
    expect(letters).toMatchObject({ total: POISON, kinds: [{ kind: 'dead-letter', count: POISON }] });
    const none = await getJson(recon, `/api/bulk-selection?q=${randomUUID()}`, viewer);
    expect(none).toEqual({ total: 0, kinds: [] });
    expect((await readApi(recon, '/api/bulk-selection?kind=nope', viewer)).status).toBe(400);
  });

  it('counts the findings a bulk resolved beside the actions it finished', async () => {
    const reply = await recon.app.request(
      '/api/bulk-actions',
      postJson(
        otto,
        { action: 'discard', reason: 'poison from a bad deploy', filter: { kind: 'dead-letter' } },
        {
          'idempotency-key': randomUUID(),
        },
      ),
    );
    expect(reply.status).toBe(202);
    bulkHref = ((await reply.json()) as { href: string }).href;
    const done = await waitFor('every discard done', async () => {
      const bulk = await getJson(recon, bulkHref, otto);
      return bulk.counts.done === POISON && bulk;
    });
    expect(done.resolved).toBeLessThanOrEqual(POISON);
    await waitFor('the next cycles to resolve the letters', async () => {
      return (await getJson(recon, bulkHref, otto)).resolved === POISON;
    });
  });

  it('filters the audit log by actor, action, kind and time, each row naming its finding and its bulk', async () => {
    const single = await act(recon, olga, `order-without-dispatch:${lostOrder}`, { action: 'redeliver' });
    expect(single.status).toBe(201);

    const byOtto = (await getJson(recon, '/api/audit?actor=otto&limit=500', viewer)).items;
    expect(byOtto.length).toBeGreaterThanOrEqual(2 * POISON);
    expect(new Set(byOtto.map((e: { actor: string }) => e.actor))).toEqual(new Set(['otto']));
    expect(byOtto.every((e: { bulkId: string | null }) => e.bulkId === bulkHref.split('/').at(-1))).toBe(true);
    expect(byOtto[0].findingId).toMatch(/^dead-letter:/);

    const redelivers = (await getJson(recon, '/api/audit?action=redeliver', viewer)).items;
    expect(redelivers.map((e: { actor: string }) => e.actor)).toEqual(expect.arrayContaining(['olga']));
    expect(redelivers.every((e: { findingId: string }) => e.findingId === `order-without-dispatch:${lostOrder}`)).toBe(
      true,
    );
    expect(redelivers.every((e: { bulkId: string | null }) => e.bulkId === null)).toBe(true);

    const letters = (await getJson(recon, '/api/audit?kind=dead-letter&limit=500', viewer)).items;
    expect(letters.length).toBe(byOtto.length);
    const later = new Date(Date.now() + 60_000).toISOString();
    expect((await getJson(recon, `/api/audit?from=${encodeURIComponent(later)}`, viewer)).items).toEqual([]);
    const window = `from=${encodeURIComponent(startedAt.toISOString())}&to=${encodeURIComponent(later)}`;
    expect((await getJson(recon, `/api/audit?${window}&actor=olga`, viewer)).items.length).toBeGreaterThan(0);
    expect((await readApi(recon, '/api/audit?from=yesterday', viewer)).status).toBe(400);
  });

  it('exports the same filtered rows as CSV to a viewer', async () => {
    const res = await readApi(recon, '/api/audit.csv?kind=dead-letter', viewer);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="recon-audit-.*\.csv"$/);
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'at,event,actionId,bulkId,findingId,action,target,actor,role,outcome,reason,detail,idempotencyKey,oldRole,newRole',
    );
    const json = (await getJson(recon, '/api/audit?kind=dead-letter&limit=500', viewer)).items;
    expect(lines).toHaveLength(json.length + 1);
    expect(lines.slice(1).every((line) => line.includes(',discard,dead-letter:'))).toBe(true);
    expect(lines.slice(1).every((line) => line.includes(',otto,operator,'))).toBe(true);
  });
});
