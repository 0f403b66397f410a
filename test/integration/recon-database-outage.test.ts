import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recon } from '../../server/recon.ts';
import { readApi } from '../support/actions.ts';
import { bringDatabaseBack, takeDatabaseDown } from '../support/database-outage.ts';
import { type DemoHarness, placeOrders, startDemo } from '../support/demo-harness.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { metricValue } from '../support/metrics.ts';
import { openKeys, startTestRecon } from '../support/recon-harness.ts';
import { sleep, waitFor } from '../support/wait-for.ts';

const GRACE_MS = 2_000;

describe('a business database down mid-run', () => {
  let env: IsolatedEnv;
  let demo: DemoHarness;
  let recon: Recon;

  beforeAll(async () => {
    env = await createIsolatedEnv('db_outage');
    demo = await startDemo(env);
    recon = await startTestRecon(env, { RECON_GRACE_SECONDS: String(GRACE_MS / 1000) });
  });
  afterAll(async () => {
    await bringDatabaseBack(env.dispatchDatabaseUrl).catch(() => {});
    await recon?.stop();
    await demo?.stop();
    await env?.destroy();
  });

  it('says unknown while the dispatch database is down: no finding opened or resolved, source down; none spurious after', async () => {
    const { system } = demo;
    const [lostOrder] = await placeOrders(demo, 1);
    system.lostDispatch.enqueue(lostOrder!);
    await waitFor('the lost dispatch', async () => (await demo.ledger('lost-dispatch')).length === 1);
    await sleep(GRACE_MS + 500);
    await recon.scheduler.runCycle();
    expect(await openKeys(recon, 'order-without-dispatch')).toEqual([lostOrder]);

    await takeDatabaseDown(env.dispatchDatabaseUrl);
    // Orders keep coming; none of them can be dispatched while the database is down.
    const duringOutage = await placeOrders(demo, 5);
    // Those orders are past the grace period with no dispatch Recon can see: that is unknown, not orphaned.
    await sleep(GRACE_MS + 500);
    await recon.scheduler.runCycle();
    await recon.scheduler.runCycle();
    expect(await openKeys(recon, 'order-without-dispatch')).toEqual([lostOrder]);
    await waitFor(
      '/metrics to show the source down',
      async () => (await metricValue(recon, 'recon_source_up{source="dispatch"}')) === 0,
    );
    const { sources } = (await (await readApi(recon, '/api/sources')).json()) as {
      sources: Array<{ source: string; up: boolean; lastError: string | null }>;
    };
    expect(sources.find((s) => s.source === 'dispatch')).toMatchObject({ up: false, lastError: expect.any(String) });
    expect(sources.find((s) => s.source === 'orders')).toMatchObject({ up: true });

    await bringDatabaseBack(env.dispatchDatabaseUrl);
    await waitFor(
      'the consumer to dispatch the orders placed during the outage',
      async () => {
        const { rows } = await system.dispatchPool.query<{ n: string }>(
          'SELECT count(DISTINCT order_id) AS n FROM dispatches WHERE order_id = ANY($1)',
          [duringOutage],
        );
        return Number(rows[0]!.n) === duringOutage.length;
      },
      { timeoutMs: 60_000 },
    );
    await sleep(GRACE_MS + 500);
    await recon.scheduler.runCycle();
    await recon.scheduler.runCycle();
    expect(await openKeys(recon, 'order-without-dispatch')).toEqual([lostOrder]);
    expect(await openKeys(recon, 'dispatch-without-order')).toEqual([]);
    await waitFor(
      '/metrics to show the source up again',
      async () => (await metricValue(recon, 'recon_source_up{source="dispatch"}')) === 1,
    );
  });
});
