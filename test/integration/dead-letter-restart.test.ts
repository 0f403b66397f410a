import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { DISPATCH_DEAD_LETTER_QUEUE } from '../../demo/names.ts';
import type { Recon } from '../../server/recon.ts';
import { type DemoHarness, queueDepth, startDemo } from '../support/demo-harness.ts';
import { createIsolatedEnv, type IsolatedEnv, management } from '../support/isolated-env.ts';
import { startTestRecon } from '../support/recon-harness.ts';
import { waitFor } from '../support/wait-for.ts';

const POISON = 300;

// Custody's promise: a letter is acked only after its commit, and a repeat delivery is recognised. Interrupting
// Recon in the middle of a drain, politely or not, must therefore lose nothing and store nothing twice.
describe('dead-letter custody across interruptions', () => {
  let env: IsolatedEnv | undefined;
  let demo: DemoHarness | undefined;
  let recons: Recon[] = [];
  let reconDb: pg.Pool | undefined;
  afterEach(async () => {
    await reconDb?.end();
    for (const recon of recons) await recon.stop();
    await demo?.stop();
    await env?.destroy();
    recons = [];
    reconDb = undefined;
    demo = undefined;
    env = undefined;
  });

  const setUp = async (label: string) => {
    env = await createIsolatedEnv(label);
    demo = await startDemo(env);
    reconDb = new pg.Pool({ connectionString: env.reconDatabaseUrl, max: 2 });
  };
  const publishPoison = async () => {
    for (let i = 0; i < POISON; i++) expect(await demo!.system.orders.publishPoison()).toBeDefined();
    return (await demo!.ledger('poison')).map((row) => row.message_id!).sort();
  };
  const stored = async () => {
    const { rows } = await reconDb!
      .query<{ n: number; ids: number }>(
        'SELECT count(*)::int AS n, count(DISTINCT message_id)::int AS ids FROM dead_letters',
      )
      .catch(() => ({ rows: [{ n: 0, ids: 0 }] }));
    return rows[0]!;
  };
  const expectAllStoredOnce = async (ledger: string[]) => {
    await waitFor('every letter in custody', async () => (await stored()).n >= POISON, { timeoutMs: 60_000 });
    await waitFor(
      'the dead-letter queue to drain',
      async () => (await queueDepth(env!, DISPATCH_DEAD_LETTER_QUEUE)) === 0,
    );
    expect(await stored()).toEqual({ n: POISON, ids: POISON });
    const { rows } = await reconDb!.query<{ message_id: string }>('SELECT message_id FROM dead_letters ORDER BY 1');
    expect(rows.map((r) => r.message_id)).toEqual(ledger);
  };

  it('stopping Recon mid-drain and starting another loses nothing and duplicates nothing', async () => {
    await setUp('dl_restart');
    const ledger = await publishPoison();
    await waitFor('every poison message dead-lettered', async () => {
      return (await queueDepth(env!, DISPATCH_DEAD_LETTER_QUEUE)) === POISON;
    });

    recons.push(await startTestRecon(env!));
    await waitFor('some letters in custody', async () => (await stored()).n >= 30, { intervalMs: 5 });
    await recons.pop()!.stop();
    const midway = await stored();
    expect(midway.n, 'Recon was stopped after the drain had finished: the test proves nothing').toBeLessThan(POISON);
    // Whatever was not stored went back to the queue: nothing is in between.
    expect(await queueDepth(env!, DISPATCH_DEAD_LETTER_QUEUE)).toBe(POISON - midway.n);

    recons.push(await startTestRecon(env!));
    await expectAllStoredOnce(ledger);
  });

  it('cutting Recon’s dead-letter connection mid-drain loses nothing and duplicates nothing', async () => {
    await setUp('dl_conn_cut');
    const recon = await startTestRecon(env!);
    recons.push(recon);
    const connectionName = await waitFor('Recon’s dead-letter connection in the management API', async () => {
      const list = (await management('GET', `/api/vhosts/${encodeURIComponent(env!.vhost)}/connections`)) as Array<{
        name: string;
        client_properties?: { connection_name?: string };
      }>;
      return list.find((c) => c.client_properties?.connection_name === 'recon-dead-letters')?.name;
    });
    const ledger = await publishPoison();
    await waitFor('some letters in custody', async () => (await stored()).n >= 30, { intervalMs: 5 });
    await management('DELETE', `/api/connections/${encodeURIComponent(connectionName)}`);
    await expectAllStoredOnce(ledger);
  });
});
