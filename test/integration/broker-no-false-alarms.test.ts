import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISPATCH_QUEUE, REPLENISH_QUEUE } from '../../demo/names.ts';
import { runTraffic } from '../../demo/traffic.ts';
import type { SuccessfulPoll } from '../../reconcilers/snapshots/broker-polls.ts';
import type { Recon } from '../../server/recon.ts';
import { readApi } from '../support/actions.ts';
import { type DemoHarness, startDemo, testLog } from '../support/demo-harness.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { startTestRecon } from '../support/recon-harness.ts';
import { sleep } from '../support/wait-for.ts';

/**
 * A healthy publisher with a window of publishes in flight (as the tutorials recommend): its channel often shows
 * `messages_unconfirmed > 0` in a statistics sample (whether a given sample catches it is down to timing; the unit
 * tests pin that case) and must never be called stuck.
 */
async function publishInBulk(env: IsolatedEnv, durationMs: number): Promise<void> {
  const connection = await amqp.connect(env.rabbitmqUrl);
  try {
    const channel = await connection.createConfirmChannel();
    await channel.assertQueue('bulk.sink', { durable: true, arguments: { 'x-max-length': 1_000 } });
    let inFlight = 0;
    for (const end = Date.now() + durationMs; Date.now() < end; ) {
      // A sliding window of publishes awaiting their confirm, topped up as confirms arrive.
      while (inFlight < 300) {
        inFlight += 1;
        channel.sendToQueue('bulk.sink', Buffer.alloc(512), { persistent: true }, () => {
          inFlight -= 1;
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await channel.waitForConfirms();
  } finally {
    await connection.close();
  }
}

describe('broker checks under healthy demo traffic', () => {
  let env: IsolatedEnv;
  let demo: DemoHarness;
  let recon: Recon;

  beforeAll(async () => {
    env = await createIsolatedEnv('broker_no_false_alarms');
    // The replenisher holds each message unacked for its delay: a queue that always has unacked messages.
    demo = await startDemo(env, { replenishDelayMs: 3_000 });
    // The most sensitive settings allowed: polls every second (faster than the broker refreshes its statistics)
    // and two polls to call something stuck.
    recon = await startTestRecon(env, {
      RECON_BROKER_POLL_INTERVAL_SECONDS: '1',
      // Below the broker's 5 s statistics refresh too: re-read numbers make a false 'stuck' easier.
      RECON_BROKER_STATISTICS_INTERVAL_SECONDS: '1',
      RECON_BROKER_STUCK_POLLS: '2',
    });
  });
  afterAll(async () => {
    await recon?.stop();
    await demo?.stop();
    await env?.destroy();
  });

  const brokerFindings = async () => {
    const items: unknown[] = [];
    for (const kind of ['unacked-stuck', 'unconfirmed-publishes']) {
      const response = await readApi(recon, `/api/findings?kind=${kind}&state=all&limit=500`);
      items.push(...((await response.json()) as { items: unknown[] }).items);
    }
    return items;
  };

  it('opens neither unacked-stuck nor unconfirmed-publishes during busy and then slow traffic', async () => {
    const { system, faults } = demo;
    const traffic = (ratePerSecond: number, durationMs: number) =>
      runTraffic({
        ratePerSecond,
        durationMs,
        faults,
        orders: system.orders,
        lostDispatch: system.lostDispatch,
        log: testLog(),
      });
    const [busy] = await Promise.all([traffic(40, 12_000), publishInBulk(env, 12_000)]);
    const slow = await traffic(0.5, 10_000);
    expect(busy.errors + slow.errors).toBe(0);
    await sleep(4_000);
    expect(await brokerFindings()).toEqual([]);

    // The checks really ran on this traffic: successive polls saw the watched queues' ack counters move.
    // At least twice the stuck threshold (3 polls) of successful polls; fewer than one a second on a loaded broker.
    const polls = recon.broker.polls().filter((p): p is SuccessfulPoll => p.ok);
    expect(polls.length).toBeGreaterThanOrEqual(8);
    const acks = polls.map((p) => p.queues.find((q) => q.name === DISPATCH_QUEUE)?.counters.ack ?? 0);
    expect(Math.max(...acks)).toBeGreaterThan(busy.committed / 2);
    const replenishUnacked = polls.map((p) => p.queues.find((q) => q.name === REPLENISH_QUEUE)?.unacked ?? 0);
    expect(replenishUnacked.filter((n) => n > 0).length).toBeGreaterThan(3);

    const orderId = busy.committedOrderIds[0]!;
    const timeline = (await (await readApi(recon, `/api/orders/${orderId}/timeline`)).json()) as {
      broker: { at: string; queues: Array<{ name: string; exists: boolean }> } | null;
    };
    expect(timeline.broker?.queues).toContainEqual(expect.objectContaining({ name: DISPATCH_QUEUE, exists: true }));
  });
});
