import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recon } from '../../server/recon.ts';
import { act, getJson, waitForFindingState } from '../support/actions.ts';
import { type DemoHarness, placeOrders, startDemo } from '../support/demo-harness.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { metricValue } from '../support/metrics.ts';
import { startTestRecon } from '../support/recon-harness.ts';
import { addUser } from '../support/users.ts';
import { waitFor } from '../support/wait-for.ts';

// S4 of reference/reliability.md, against the real services: every action is audited with who, why, on what,
// under which key and how it ended; the application's database role cannot change the audit; and the settled
// actions are counted in recon_actions_total.

interface Acted {
  orderId: string;
  actionId: string;
  idempotencyKey: string;
  reason: string;
  outcome: string;
}

describe('the audit of repair actions', () => {
  let env: IsolatedEnv;
  let demo: DemoHarness;
  let recon: Recon;
  let reconPool: pg.Pool;
  let operator: string;
  let viewer: string;
  /** A redeliver that repaired a lost dispatch (done), and one whose dispatch came back before it ran (superseded). */
  const acted: Record<'done' | 'superseded', Acted> = {} as Record<'done' | 'superseded', Acted>;

  const setDispatchStatus = (orderId: string, status: string) =>
    demo.system.dispatchPool.query('UPDATE dispatches SET status = $2 WHERE order_id = $1', [orderId, status]);
  const redeliver = async (orderId: string, reason: string): Promise<Acted> => {
    const idempotencyKey = randomUUID();
    const reply = await act(
      recon,
      operator,
      `order-without-dispatch:${orderId}`,
      { action: 'redeliver', reason },
      idempotencyKey,
    );
    expect(reply.status).toBe(201);
    return { orderId, actionId: reply.json.id, idempotencyKey, reason, outcome: reply.json.status };
  };
  const auditRows = async () => (await reconPool.query('SELECT * FROM audit_log ORDER BY id')).rows;

  beforeAll(async () => {
    env = await createIsolatedEnv('actions_audit');
    demo = await startDemo(env, { replenishDelayMs: 200 });
    recon = await startTestRecon(env, { RECON_GRACE_SECONDS: '2' });
    reconPool = new pg.Pool({ connectionString: env.reconDatabaseUrl, max: 2 });
    operator = await addUser(env, 'olga', 'operator');
    viewer = await addUser(env, 'vera', 'viewer');
    const [lost, back] = (await placeOrders(demo, 2)) as [string, string];
    await waitFor('both dispatches', async () => {
      const { rows } = await demo.system.dispatchPool.query('SELECT 1 FROM dispatches WHERE order_id = ANY($1)', [
        [lost, back],
      ]);
      return rows.length === 2;
    });
    await demo.system.dispatchPool.query('DELETE FROM dispatches WHERE order_id = $1', [lost]);
    await setDispatchStatus(back, 'cancelled');
    await waitForFindingState(recon, 'order-without-dispatch', lost, 'open');
    await waitForFindingState(recon, 'order-without-dispatch', back, 'open');

    acted.done = await redeliver(lost, 'test: the dispatch row of this order was lost');
    await setDispatchStatus(back, 'assigned');
    acted.superseded = await redeliver(back, 'test: pressed after the dispatch came back');
    expect([acted.done.outcome, acted.superseded.outcome]).toEqual(['done', 'superseded']);
  });
  afterAll(async () => {
    await reconPool?.end();
    await recon?.stop();
    await demo?.stop();
    await env?.destroy();
  });

  const expectedRows = ({ orderId, idempotencyKey, reason, outcome }: Acted) => {
    const common = {
      actor: 'olga',
      role: 'operator',
      action: 'redeliver',
      target: `order:${orderId}`,
      idempotencyKey,
      reason,
    };
    return [
      { event: 'requested', ...common, outcome: 'pending' },
      { event: 'outcome', ...common, outcome },
    ];
  };

  for (const outcome of ['done', 'superseded'] as const) {
    it(`records a requested and an outcome row, with actor, role, reason, target and key, for a ${outcome} action`, async () => {
      const { rows } = await reconPool.query(
        `SELECT event, actor, role, action, target, idempotency_key AS "idempotencyKey", reason, outcome
           FROM audit_log WHERE action_id = $1 ORDER BY id`,
        [acted[outcome].actionId],
      );
      expect(rows).toEqual(expectedRows(acted[outcome]));
    });

    it(`shows the same audit rows of a ${outcome} action through GET /api/audit?actionId=`, async () => {
      const { items } = await getJson(recon, `/api/audit?actionId=${acted[outcome].actionId}`, viewer);
      const oldestFirst = items.reverse();
      expect(oldestFirst).toEqual(
        expectedRows(acted[outcome]).map((row) =>
          expect.objectContaining({ ...row, actionId: acted[outcome].actionId }),
        ),
      );
    });
  }

  it('leaves no action without its requested row, nor a settled action without a row of its outcome', async () => {
    const { rows } = await reconPool.query(`
      SELECT a.id, a.status FROM actions a
       WHERE NOT EXISTS (SELECT 1 FROM audit_log l WHERE l.action_id = a.id AND l.event = 'requested')
          OR (a.status NOT IN ('pending', 'in-doubt') AND NOT EXISTS (
                SELECT 1 FROM audit_log l WHERE l.action_id = a.id AND l.event IN ('outcome', 'swept')
                   AND l.outcome = a.status))`);
    expect(rows).toEqual([]);
    const { rows: blank } = await reconPool.query(
      `SELECT id FROM audit_log WHERE '' IN (btrim(actor), btrim(role), btrim(reason), target, idempotency_key, outcome)`,
    );
    expect(blank).toEqual([]);
    const { rows: total } = await reconPool.query('SELECT count(*)::int AS n FROM actions');
    expect(total[0].n).toBe(2);
  });

  const tampering = [
    { what: 'UPDATE', sql: "UPDATE audit_log SET reason = 'nothing to see here', outcome = 'done'" },
    { what: 'DELETE', sql: 'DELETE FROM audit_log' },
    { what: 'TRUNCATE', sql: 'TRUNCATE audit_log' },
  ];
  for (const { what, sql } of tampering)
    it(`refuses ${what} on the audit log to the application's database role, and the rows stay as they were`, async () => {
      const before = await auditRows();
      expect(before).not.toEqual([]);
      // 42501 insufficient_privilege: refused by the append-only triggers or by a missing grant alike.
      await expect(reconPool.query(sql)).rejects.toMatchObject({ code: '42501' });
      expect(await auditRows()).toEqual(before);
    });

  it('counts each settled action in recon_actions_total by action and outcome', async () => {
    expect(await metricValue(recon, 'recon_actions_total{action="redeliver",outcome="done"}')).toBe(1);
    expect(await metricValue(recon, 'recon_actions_total{action="redeliver",outcome="superseded"}')).toBe(1);
  });

  it('does not count a refused request in recon_actions_total', async () => {
    const series = async () =>
      (await (await recon.app.request('/metrics')).text())
        .split('\n')
        .filter((l) => l.startsWith('recon_actions_total'));
    const before = await series();
    const notApplicable = await act(recon, operator, `order-without-dispatch:${acted.done.orderId}`, {
      action: 'republish',
    });
    const replayed = await act(
      recon,
      operator,
      `order-without-dispatch:${acted.done.orderId}`,
      { action: 'redeliver', reason: acted.done.reason },
      acted.done.idempotencyKey,
    );
    expect([notApplicable.status, replayed.status]).toEqual([422, 201]);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(await series()).toEqual(before);
  });
});
