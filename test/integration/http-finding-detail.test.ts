import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FindingDetailJson } from '../../server/http/wire.ts';
import type { Recon } from '../../server/recon.ts';
import { act, getJson, waitForFindingState } from '../support/actions.ts';
import { type DemoHarness, startDemo } from '../support/demo-harness.ts';
import { placeOrderAndLoseItsDispatch } from '../support/dispatch-rows.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { startTestRecon } from '../support/recon-harness.ts';
import { addUser } from '../support/users.ts';

// GET /api/findings/:id carries the words the finding page shows first (what is wrong, the likely cause, each
// action's effect on the customer, the recommendation) and, once an action ran, its outcome and what resolved the
// finding: the page follows a repair to its end from this one route. Against the real demo system and Recon.

let env: IsolatedEnv;
let demo: DemoHarness;
let recon: Recon;
let operator: string;

const detail = (id: string): Promise<FindingDetailJson> => getJson(recon, `/api/findings/${encodeURIComponent(id)}`);

beforeAll(async () => {
  env = await createIsolatedEnv('http_finding_detail');
  demo = await startDemo(env);
  recon = await startTestRecon(env, { RECON_GRACE_SECONDS: '2' });
  operator = await addUser(env, 'olga', 'operator');
});

afterAll(async () => {
  await recon?.stop();
  await demo?.stop();
  await env?.destroy();
});

describe('GET /api/findings/:id', () => {
  it('says the cause, each action’s effect on the customer and the recommendation, then who resolved it', async () => {
    const orderId = await placeOrderAndLoseItsDispatch(demo);
    await waitForFindingState(recon, 'order-without-dispatch', orderId, 'open');
    const id = `order-without-dispatch:${orderId}`;

    const open = await detail(id);
    expect(open.cause).toMatch(/never created a dispatch/);
    expect(open.recommendation).toEqual({ action: 'redeliver', why: expect.stringMatching(/safe/) });
    expect(open.actionDetails).toEqual([
      expect.objectContaining({
        action: 'redeliver',
        customerEffect: expect.stringContaining(`order ${orderId} gets a courier`),
        whenToChoose: expect.stringMatching(/still needs a courier/),
      }),
    ]);
    expect([open.latestAction, open.resolvedBy]).toEqual([null, null]);

    const redeliver = await act(recon, operator, id, { action: 'redeliver' });
    expect(redeliver.json.status).toBe('done');
    await waitForFindingState(recon, 'order-without-dispatch', orderId, 'resolved');

    const resolved = await detail(id);
    expect(resolved.latestAction).toMatchObject({ id: redeliver.json.id, status: 'done' });
    expect(resolved.resolvedBy).toMatchObject({ id: redeliver.json.id, action: 'redeliver', actor: 'olga' });
  });

  it('names no resolving action for a finding that resolved on its own', async () => {
    const orderId = await placeOrderAndLoseItsDispatch(demo);
    await waitForFindingState(recon, 'order-without-dispatch', orderId, 'open');
    // Someone else (a courier app, a person) gives the order its dispatch: nothing of Recon's resolved it.
    await demo.system.dispatchPool.query(
      `INSERT INTO dispatches (order_id, message_id, courier, status, order_snapshot)
       VALUES ($1, NULL, 'by hand', 'assigned', '{}')`,
      [orderId],
    );
    await waitForFindingState(recon, 'order-without-dispatch', orderId, 'resolved');
    const resolved = await detail(`order-without-dispatch:${orderId}`);
    expect([resolved.latestAction, resolved.resolvedBy]).toEqual([null, null]);
  });
});
