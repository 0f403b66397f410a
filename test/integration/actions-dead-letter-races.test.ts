import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISPATCH_DEAD_LETTER_QUEUE } from '../../demo/names.ts';
import type { Recon } from '../../server/recon.ts';
import { act, getJson, waitForFindingState } from '../support/actions.ts';
import { type DemoHarness, queueDepth, startDemo } from '../support/demo-harness.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { startTestRecon } from '../support/recon-harness.ts';
import { addUser } from '../support/users.ts';

// Issue 18, item 7 and "a dead letter chooses its own redrive target": letters published straight into the
// dead-letter queue (anyone who may publish there can), taken into custody by a real Recon, then pressed through
// the API with real concurrency against the real database.
describe('redrive under races and forged letters', () => {
  let env: IsolatedEnv;
  let demo: DemoHarness;
  let recon: Recon;
  let alice: string;
  let bob: string;

  /** Publishes a letter into the dead-letter queue and waits for its open finding. */
  async function letter(headers: Record<string, unknown> = {}): Promise<string> {
    const messageId = randomUUID();
    const connection = await amqp.connect(env.rabbitmqUrl);
    try {
      const channel = await connection.createConfirmChannel();
      channel.sendToQueue(DISPATCH_DEAD_LETTER_QUEUE, Buffer.from('{"note":"no order"}'), { messageId, headers });
      await channel.waitForConfirms();
    } finally {
      await connection.close();
    }
    await waitForFindingState(recon, 'dead-letter', messageId, 'open');
    return `dead-letter:${messageId}`;
  }
  const actionsOn = async (findingId: string) =>
    (await getJson(recon, `/api/actions?findingId=${encodeURIComponent(findingId)}`)).items;

  beforeAll(async () => {
    env = await createIsolatedEnv('dl_races');
    demo = await startDemo(env, { services: { relay: false, dispatch: false, replenisher: false } });
    recon = await startTestRecon(env);
    [alice, bob] = await Promise.all([addUser(env, 'alice', 'operator'), addUser(env, 'bob', 'operator')]);
  });
  afterAll(async () => {
    await recon?.stop();
    await demo?.stop();
    await env?.destroy();
  });

  it('50 parallel presses of a redrive that fails at once make one failed action; every 409 names it truly', async () => {
    const findingId = await letter(); // no x-death: the redrive fails at once
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) => act(recon, i % 2 ? alice : bob, findingId, { action: 'redrive' })),
    );
    expect(replies.map((r) => r.status).filter((s) => s !== 201 && s !== 409)).toEqual([]);
    const created = replies.filter((r) => r.status === 201);
    expect(created).toHaveLength(1);
    const first = created[0]!.json;
    expect(first.status).toBe('failed');
    for (const conflict of replies.filter((r) => r.status === 409)) {
      expect(conflict.json.action.id).toBe(first.id);
      const isLive = ['pending', 'in-doubt'].includes(conflict.json.action.status);
      if (isLive) expect(conflict.json.error.message).toMatch(/still running/);
      else {
        expect(conflict.json.action.status).toBe('failed');
        expect(conflict.json.error.message).not.toMatch(/running/);
        expect(conflict.json.error.message).toMatch(/failed/);
      }
    }
    expect(await actionsOn(findingId)).toHaveLength(1);
  });

  it('a later press answers 409 with the failed action; only an explicit retryOf runs it again, once', async () => {
    const findingId = await letter();
    const first = await act(recon, alice, findingId, { action: 'redrive' });
    expect(first.json.status).toBe('failed');
    const again = await act(recon, bob, findingId, { action: 'redrive' });
    expect(again.status).toBe(409);
    expect(again.json.action).toMatchObject({ id: first.json.id, status: 'failed' });
    expect(again.json.error.message).toContain(`"retryOf": "${first.json.id}"`);

    const retries = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        act(recon, i % 2 ? alice : bob, findingId, { action: 'redrive', retryOf: first.json.id }),
      ),
    );
    const created = retries.filter((r) => r.status === 201);
    expect(created).toHaveLength(1);
    expect(created[0]!.json.id).not.toBe(first.json.id);
    for (const r of retries.filter((reply) => reply.status !== 201)) {
      expect(r.status).toBe(409);
      expect(r.json.action.id).toBe(created[0]!.json.id);
    }
    expect(await actionsOn(findingId)).toHaveLength(2);
  });

  it('refuses to redrive into an exchange the flow does not name, and says which', async () => {
    const connection = await amqp.connect(env.rabbitmqUrl);
    const channel = await connection.createChannel();
    await channel.assertExchange('sp.other', 'direct', { durable: false });
    await channel.assertQueue('sp.victim', { durable: false });
    await channel.bindQueue('sp.victim', 'sp.other', 'done');
    await connection.close();
    const forged = [{ queue: 'dispatch.order-created', reason: 'rejected', count: 1, exchange: 'sp.other' }];
    const findingId = await letter({ 'x-death': [{ ...forged[0], 'routing-keys': ['done'] }] });

    const reply = await act(recon, alice, findingId, { action: 'redrive' });
    expect(reply.status).toBe(201);
    expect(reply.json.status).toBe('failed');
    expect(reply.json.detail).toMatch(/sp\.other/);
    expect(reply.json.detail).toMatch(/\borders\b/);
    expect(await queueDepth(env, 'sp.victim')).toBe(0);
  });

  it('stores a 4,000-entry header table whole, and a __proto__ header as data', async () => {
    // Short entries: amqplib encodes a header table into a 64 KiB buffer.
    const many = Object.fromEntries(Array.from({ length: 4_000 }, (_, i) => [`h${i}`, 'v']));
    // A computed key makes `__proto__` an own property, so amqplib puts it on the wire as a header.
    const findingId = await letter({ ...many, ['__proto__']: { polluted: 'yes' } });
    const finding = await getJson(recon, `/api/findings/${encodeURIComponent(findingId)}`);
    const stored = await getJson(recon, `/api/dead-letters/${finding.evidence.deadLetterId}`);
    expect(Object.keys(stored.headers)).toHaveLength(4_001);
    expect(stored.headers.h3999).toBe('v');
    expect(Object.hasOwn(stored.headers, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(stored.headers, '__proto__')?.value).toEqual({ polluted: 'yes' });
    expect(stored).toMatchObject({ headerEntries: 4_002, headerEntriesOmitted: 0 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
