import amqp, { type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recon } from '../../server/recon.ts';
import { readApi } from '../support/actions.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { resumeQueue, suspendQueue } from '../support/queue-suspend.ts';
import { openKeys, startTestRecon } from '../support/recon-harness.ts';
import { waitFor } from '../support/wait-for.ts';

const QUEUE = 'orders.held';
const PUBLISHED = 3;
const WAIT = { timeoutMs: 40_000, intervalMs: 500 };

describe('broker: a publisher whose confirms are held back', () => {
  let env: IsolatedEnv;
  let recon: Recon;
  let connection: ChannelModel;
  let isSuspended = false;

  beforeAll(async () => {
    env = await createIsolatedEnv('unconfirmed');
    connection = await amqp.connect(env.rabbitmqUrl);
    const setup = await connection.createChannel();
    await setup.assertQueue(QUEUE, { durable: true });
    await setup.close();
    recon = await startTestRecon(env, {
      RECON_WATCHED_QUEUES: QUEUE,
      RECON_BROKER_POLL_INTERVAL_SECONDS: '2',
      // Polls faster than the broker's 5 s statistics refresh (the default floor): a faster test.
      RECON_BROKER_STATISTICS_INTERVAL_SECONDS: '1',
      RECON_BROKER_STUCK_POLLS: '3',
    });
  });
  afterAll(async () => {
    // A suspended queue would make the vhost undeletable: resume it whatever happened.
    if (isSuspended) await resumeQueue(env.vhost, QUEUE);
    await connection?.close().catch(() => {});
    await recon?.stop();
    await env?.destroy();
  });

  it('opens unconfirmed-publishes for the channel while its confirms are held, and resolves once they arrive', async () => {
    await suspendQueue(env.vhost, QUEUE);
    isSuspended = true;
    const channel = await connection.createConfirmChannel();
    const confirms = Array.from(
      { length: PUBLISHED },
      (_, i) =>
        new Promise<void>((resolve, reject) =>
          channel.sendToQueue(QUEUE, Buffer.from(`order ${i}`), { persistent: true }, (err) =>
            err ? reject(err) : resolve(),
          ),
        ),
    );

    const [key] = await waitFor(
      'unconfirmed-publishes to open',
      async () => {
        const keys = await openKeys(recon, 'unconfirmed-publishes');
        return keys.length > 0 && keys;
      },
      WAIT,
    );
    const response = await readApi(recon, `/api/findings/${encodeURIComponent(`unconfirmed-publishes:${key}`)}`);
    const { evidence } = (await response.json()) as { evidence: Record<string, unknown> };
    expect(evidence).toMatchObject({ channel: key, unconfirmed: PUBLISHED, publishCount: PUBLISHED });
    expect(evidence.connection).toEqual(expect.any(String));
    expect(await openKeys(recon, 'unacked-stuck')).toEqual([]);

    await resumeQueue(env.vhost, QUEUE);
    isSuspended = false;
    await Promise.all(confirms);
    await waitFor(
      'unconfirmed-publishes to resolve',
      async () => (await openKeys(recon, 'unconfirmed-publishes')).length === 0,
      WAIT,
    );
    await channel.close();
  });
});
