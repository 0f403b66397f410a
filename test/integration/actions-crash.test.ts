import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoHarness, startDemo } from '../support/demo-harness.ts';
import { countDispatches, placeOrderAndLoseItsDispatch } from '../support/dispatch-rows.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { type ReconProcess, spawnRecon } from '../support/recon-process.ts';
import { ADMIN_AUTH } from '../support/users.ts';
import { sleep, waitFor } from '../support/wait-for.ts';

/** The sweeper takes a dead replica's action over once its lease ran out; the lease must outlast a confirm. */
const SHORT_LEASE = { RECON_ACTION_LEASE_SECONDS: '3', RECON_ACTION_CONFIRM_TIMEOUT_SECONDS: '2' };

// Reliability matrix R4: Recon killed (SIGKILL, by an environment-driven fault point) right after the intent
// commit, and right after the broker's confirm. After a restart the sweeper settles every action exactly once.
describe('Recon killed in the middle of an action', () => {
  let env: IsolatedEnv;
  let demo: DemoHarness;
  let recon: ReconProcess | undefined;
  let reconDb: pg.Pool;

  const dispatchRows = (orderId: string) => countDispatches(demo, orderId);

  /** An order whose dispatch row was lost, and the open finding about it, seen by the running Recon. */
  async function lostDispatch(): Promise<string> {
    const orderId = await placeOrderAndLoseItsDispatch(demo);
    await waitFor('the finding', async () => {
      const response = await fetch(`${recon!.url}/api/findings/order-without-dispatch:${orderId}`, {
        headers: { authorization: ADMIN_AUTH },
      });
      return response.ok && ((await response.json()) as { state: string }).state === 'open';
    });
    return orderId;
  }

  async function redeliverUntilKilled(orderId: string) {
    const request = fetch(`${recon!.url}/api/findings/order-without-dispatch:${orderId}/actions`, {
      method: 'POST',
      headers: { authorization: ADMIN_AUTH, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({ action: 'redeliver', reason: 'crash test' }),
    });
    await expect(request).rejects.toThrow();
    expect(await recon!.exited).toBe('SIGKILL');
  }

  const actionsOn = async (orderId: string) =>
    (
      await reconDb.query<{ status: string; attempts: number; id: string }>(
        'SELECT id, status, attempts FROM actions WHERE finding_id = $1',
        [`order-without-dispatch:${orderId}`],
      )
    ).rows;

  beforeAll(async () => {
    env = await createIsolatedEnv('actions_crash');
    demo = await startDemo(env);
    reconDb = new pg.Pool({ connectionString: env.reconDatabaseUrl, max: 2 });
  });
  afterAll(async () => {
    await recon?.stop();
    await reconDb?.end();
    await demo?.stop();
    await env?.destroy();
  });

  for (const faultPoint of ['after-intent', 'after-confirm'] as const) {
    it(`settles an action whose Recon died ${faultPoint.replace('-', ' the ')} exactly once`, async () => {
      recon = await spawnRecon(env, { RECON_FAULT_POINT: faultPoint, ...SHORT_LEASE });
      const orderId = await lostDispatch();
      await redeliverUntilKilled(orderId);
      const [pending] = await actionsOn(orderId);
      expect(pending?.status).toBe('pending');

      recon = await spawnRecon(env, { ...SHORT_LEASE, RECON_SWEEPER_INTERVAL_SECONDS: '1' });
      const settled = await waitFor('the sweeper to settle the action', async () => {
        const [action] = await actionsOn(orderId);
        return action && action.status !== 'pending' && action.status !== 'in-doubt' && action;
      });
      expect(settled.status).toBe('done');
      await waitFor('the dispatch', async () => (await dispatchRows(orderId)) === 1);
      await sleep(1_500);
      expect(await dispatchRows(orderId)).toBe(1);
      expect(await actionsOn(orderId)).toHaveLength(1);
      const { rows: audit } = await reconDb.query<{ event: string; outcome: string }>(
        'SELECT event, outcome FROM audit_log WHERE action_id = $1 ORDER BY id',
        [settled.id],
      );
      expect(audit).toEqual([
        { event: 'requested', outcome: 'pending' },
        { event: 'swept', outcome: 'done' },
      ]);
      await recon.stop();
      recon = undefined;
    });
  }
});
