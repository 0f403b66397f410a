import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISPATCH_DEAD_LETTER_QUEUE, DISPATCH_QUEUE } from '../../demo/names.ts';
import type { Recon } from '../../server/recon.ts';
import { readApi } from '../support/actions.ts';
import { type DemoHarness, queueDepth, startDemo } from '../support/demo-harness.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { openKeys, startTestRecon } from '../support/recon-harness.ts';
import { waitFor } from '../support/wait-for.ts';

const POISON = 40;

// Poison traffic through the real reference system: the dispatch service rejects it, the broker dead-letters it,
// Recon takes custody. The demo's ledger is the ground truth.
describe('dead-letter custody of poison messages', () => {
  let env: IsolatedEnv;
  let demo: DemoHarness;
  let recon: Recon;
  let reconDb: pg.Pool;

  beforeAll(async () => {
    env = await createIsolatedEnv('dl_custody');
    demo = await startDemo(env);
    recon = await startTestRecon(env);
    reconDb = new pg.Pool({ connectionString: env.reconDatabaseUrl, max: 2 });
  });
  afterAll(async () => {
    await reconDb?.end();
    await recon?.stop();
    await demo?.stop();
    await env?.destroy();
  });

  it('stores every dead letter once, with its x-death origin, and drains the dead-letter queue', async () => {
    for (let i = 0; i < POISON; i++) expect(await demo.system.orders.publishPoison()).toBeDefined();
    const ledger = (await demo.ledger('poison')).map((row) => row.message_id!).sort();
    expect(ledger).toHaveLength(POISON);

    await waitFor('every poison message in custody', async () => (await storedIds()).length === POISON);
    await waitFor('the queues to be empty', async () => {
      const depths = await Promise.all([queueDepth(env, DISPATCH_QUEUE), queueDepth(env, DISPATCH_DEAD_LETTER_QUEUE)]);
      return depths.every((depth) => depth === 0);
    });
    expect(await storedIds()).toEqual(ledger);
    const { rows } = await reconDb.query(
      `SELECT DISTINCT queue, reason, death_count, origin_exchange, origin_routing_keys, first_death_queue,
         is_parseable, order_id FROM dead_letters`,
    );
    expect(rows).toEqual([
      {
        queue: DISPATCH_DEAD_LETTER_QUEUE,
        reason: 'rejected',
        death_count: 1,
        origin_exchange: 'orders',
        origin_routing_keys: ['order.created'],
        first_death_queue: DISPATCH_QUEUE,
        // Truncated JSON: flagged, and no order id guessed out of it.
        is_parseable: false,
        order_id: null,
      },
    ]);
  });

  it('opens one dead-letter finding per letter and reports them in recon_dead_letters', async () => {
    expect(await openKeys(recon, 'dead-letter')).toEqual(await storedIds());
    await waitFor('the metric to count them', async () =>
      recon.metricsState.deadLetters.some(
        (d) => d.queue === DISPATCH_DEAD_LETTER_QUEUE && d.reason === 'rejected' && d.count === POISON,
      ),
    );
    const text = await (await recon.app.request('/metrics')).text();
    expect(text).toContain(`recon_dead_letters{queue="${DISPATCH_DEAD_LETTER_QUEUE}",reason="rejected"} ${POISON}`);
  });

  it('resolves the finding of a letter that was discarded', async () => {
    const [first] = await storedIds();
    await reconDb.query(`UPDATE dead_letters SET state = 'discarded', state_reason = 'test' WHERE message_id = $1`, [
      first,
    ]);
    await waitFor('the finding to resolve', async () => !(await openKeys(recon, 'dead-letter')).includes(first!));
    const finding = await (await readApi(recon, `/api/findings/dead-letter:${first}`)).json();
    expect(finding).toMatchObject({ state: 'resolved', verdict: 'ok' });
  });

  async function storedIds(): Promise<string[]> {
    const { rows } = await reconDb
      .query<{ message_id: string }>('SELECT message_id FROM dead_letters ORDER BY message_id')
      .catch(() => ({ rows: [] as Array<{ message_id: string }> }));
    return rows.map((r) => r.message_id);
  }
});
