import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recon } from '../../server/recon.ts';
import { type DemoHarness, placeOrders, startDemo } from '../support/demo-harness.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { openKeys, startTestRecon } from '../support/recon-harness.ts';
import { sleep, waitFor } from '../support/wait-for.ts';

const GRACE_MS = 1_000;

describe('full sweep', () => {
  let env: IsolatedEnv;
  let demo: DemoHarness;
  let recon: Recon;

  beforeAll(async () => {
    env = await createIsolatedEnv('sweep');
    demo = await startDemo(env);
    recon = await startTestRecon(env, { RECON_GRACE_SECONDS: '1', RECON_OVERLAP_SECONDS: '0', RECON_PAGE_SIZE: '10' });
  });
  afterAll(async () => {
    await recon?.stop();
    await demo?.stop();
    await env?.destroy();
  });

  it('finds a dispatch deleted after its order was judged, which the incremental cycle cannot see', async () => {
    const { system } = demo;
    const orderIds = await placeOrders(demo, 25);
    await waitFor('every dispatch', async () => {
      const { rows } = await system.dispatchPool.query<{ n: string }>('SELECT count(*) AS n FROM dispatches');
      return Number(rows[0]!.n) === orderIds.length;
    });
    await sleep(GRACE_MS + 500);
    await recon.scheduler.runCycle();
    expect(await openKeys(recon, 'order-without-dispatch')).toEqual([]);

    const victim = orderIds[13]!;
    await system.dispatchPool.query('DELETE FROM dispatches WHERE order_id = $1', [victim]);
    await recon.scheduler.runCycle();
    expect(await openKeys(recon, 'order-without-dispatch')).toEqual([]);

    const report = await recon.scheduler.runSweep();
    expect(report).toMatchObject({ complete: true, ordersScanned: orderIds.length, suspects: 1, opened: 1 });
    expect(await openKeys(recon, 'order-without-dispatch')).toEqual([victim]);
  });

  it('resolves an open finding whose row was deleted, without waiting for the re-check', async () => {
    const { system } = demo;
    const orphan = '0badc0de-0000-4000-8000-000000000001';
    await system.dispatchPool.query(
      `INSERT INTO dispatches (order_id, message_id, courier, status, order_snapshot, created_at, updated_at)
       VALUES ($1, gen_random_uuid(), 'c-1', 'assigned', '{}', now() - interval '1 hour', now() - interval '1 hour')`,
      [orphan],
    );
    await recon.scheduler.runSweep();
    expect(await openKeys(recon, 'dispatch-without-order')).toEqual([orphan]);

    // A deleted row changes nothing the cycle reads, and its re-check (every 60 s) is not due.
    await system.dispatchPool.query('DELETE FROM dispatches WHERE order_id = $1', [orphan]);
    await recon.scheduler.runCycle();
    expect(await openKeys(recon, 'dispatch-without-order')).toEqual([orphan]);

    const report = await recon.scheduler.runSweep();
    expect(report).toMatchObject({ complete: true, suspects: 1, resolved: 1 });
    expect(await openKeys(recon, 'dispatch-without-order')).toEqual([]);
  });
});
