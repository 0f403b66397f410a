import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTraffic } from '../../demo/traffic.ts';
import type { Recon } from '../../server/recon.ts';
import { readApi } from '../support/actions.ts';
import { type DemoHarness, startDemo, testLog } from '../support/demo-harness.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { startTestRecon } from '../support/recon-harness.ts';
import { sleep } from '../support/wait-for.ts';

const GRACE_SECONDS = 5;
const RATE = 80;
const DURATION_MS = 60_000;

describe('fault-free traffic at a high rate', () => {
  let env: IsolatedEnv;
  let demo: DemoHarness;
  let recon: Recon;

  beforeAll(async () => {
    env = await createIsolatedEnv('no_false_alarms');
    demo = await startDemo(env);
    // Recon's own scheduler runs every second throughout, judging orders the moment they pass the grace period.
    recon = await startTestRecon(env, { RECON_GRACE_SECONDS: String(GRACE_SECONDS), RECON_POLL_INTERVAL_SECONDS: '1' });
  });
  afterAll(async () => {
    await recon?.stop();
    await demo?.stop();
    await env?.destroy();
  });

  it(`opens no finding at any time during a minute of ${RATE} orders/s (in flight is not orphaned)`, {
    timeout: 180_000,
  }, async () => {
    const { system, faults } = demo;
    const summary = await runTraffic({
      ratePerSecond: RATE,
      durationMs: DURATION_MS,
      faults,
      orders: system.orders,
      lostDispatch: system.lostDispatch,
      log: testLog(),
    });
    expect(summary.committed).toBeGreaterThan(RATE * 50);
    await sleep(GRACE_SECONDS * 1000 + 2_000);
    await recon.scheduler.runCycle();

    const response = await readApi(recon, '/api/findings?state=all&limit=500');
    const { items } = (await response.json()) as { items: unknown[] };
    expect(items).toEqual([]);
    // The cycles really judged this traffic: every order is past the watermark.
    const { rows } = await system.dispatchPool.query<{ n: string }>('SELECT count(*) AS n FROM dispatches');
    expect(Number(rows[0]!.n)).toBe(summary.committed);
  });
});
