import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recon } from '../../server/recon.ts';
import { type ActionReply, act, getJson, waitForFindingState } from '../support/actions.ts';
import { type DemoHarness, startDemo } from '../support/demo-harness.ts';
import { countDispatches, placeOrderAndLoseItsDispatch } from '../support/dispatch-rows.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { startTestRecon } from '../support/recon-harness.ts';
import { addUser } from '../support/users.ts';
import { sleep } from '../support/wait-for.ts';

// Reliability matrix R5 and R6: many clicks, two operators, replays. One action, one effect.
describe('pressing an action twice', () => {
  let env: IsolatedEnv;
  let demo: DemoHarness;
  let recon: Recon;
  let alice: string;
  let bob: string;

  /** An order whose dispatch row was lost: an open order-without-dispatch finding. */
  const lostDispatch = async () => {
    const orderId = await placeOrderAndLoseItsDispatch(demo);
    await waitForFindingState(recon, 'order-without-dispatch', orderId, 'open');
    return orderId;
  };
  const dispatchRows = (orderId: string) => countDispatches(demo, orderId);

  beforeAll(async () => {
    env = await createIsolatedEnv('actions_twice');
    demo = await startDemo(env);
    recon = await startTestRecon(env, { RECON_GRACE_SECONDS: '2', RECON_SWEEP_INTERVAL_SECONDS: '2' });
    [alice, bob] = await Promise.all([addUser(env, 'alice', 'operator'), addUser(env, 'bob', 'operator')]);
  });
  afterAll(async () => {
    await recon?.stop();
    await demo?.stop();
    await env?.destroy();
  });

  it('50 parallel requests from two operators make one action and one dispatch; the rest get 409', async () => {
    const orderId = await lostDispatch();
    const findingId = `order-without-dispatch:${orderId}`;
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) => act(recon, i % 2 ? alice : bob, findingId, { action: 'redeliver' })),
    );
    const created = replies.filter((r) => r.status === 201);
    const conflicts = replies.filter((r) => r.status === 409);
    expect(created).toHaveLength(1);
    expect(conflicts).toHaveLength(49);
    expect(created[0]!.json.status).toBe('done');
    // Each refusal names the action that runs, or (a press handled after that action's effect resolved the finding,
    // on a loaded machine) says the finding is resolved: never a second action.
    for (const conflict of conflicts) {
      if (conflict.json.action) expect(conflict.json.action.id).toBe(created[0]!.json.id);
      else expect(conflict.json.error.message).toMatch(/^the finding resolved at .+: nothing to repair$/);
    }

    const actions = await getJson(recon, `/api/actions?findingId=${encodeURIComponent(findingId)}`, alice);
    expect(actions.items).toHaveLength(1);
    await waitForFindingState(recon, 'order-without-dispatch', orderId, 'resolved');
    await sleep(1_000);
    expect(await dispatchRows(orderId)).toBe(1);
  });

  it('a replayed idempotency key gets the first response, and creates nothing', async () => {
    const orderId = await lostDispatch();
    const findingId = `order-without-dispatch:${orderId}`;
    const first = await act(recon, alice, findingId, { action: 'redeliver', reason: 'lost dispatch' }, 'key-1');
    const replays: ActionReply[] = [];
    for (let i = 0; i < 3; i++)
      replays.push(await act(recon, alice, findingId, { action: 'redeliver', reason: 'lost dispatch' }, 'key-1'));
    expect(first.status).toBe(201);
    for (const replay of replays) {
      expect(replay.status).toBe(201);
      expect(replay.json).toEqual(first.json);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
    }
    const actions = await getJson(recon, `/api/actions?findingId=${encodeURIComponent(findingId)}`, alice);
    expect(actions.items).toHaveLength(1);
  });

  it('a replayed idempotency key with another body is refused with 422', async () => {
    const orderId = await lostDispatch();
    const findingId = `order-without-dispatch:${orderId}`;
    const first = await act(recon, bob, findingId, { action: 'redeliver', reason: 'first reason' }, 'key-2');
    const other = await act(recon, bob, findingId, { action: 'redeliver', reason: 'another reason' }, 'key-2');
    expect(first.status).toBe(201);
    expect(other.status).toBe(422);
    expect(other.json.action.id).toBe(first.json.id);
  });

  it("one operator's idempotency key does not collide with another's", async () => {
    const orderId = await lostDispatch();
    const findingId = `order-without-dispatch:${orderId}`;
    const first = await act(recon, alice, findingId, { action: 'redeliver' }, 'shared-key');
    const second = await act(recon, bob, findingId, { action: 'redeliver' }, 'shared-key');
    expect(first.status).toBe(201);
    // Bob's request is his own, so it is not a replay of Alice's: it meets her done action on the target instead.
    expect(second.status).toBe(409);
    expect(second.headers.get('idempotent-replayed')).toBeNull();
  });
});
