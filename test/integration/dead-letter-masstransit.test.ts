import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPLAY_COUNT_HEADER } from '../../reconcilers/kinds/dead-letter.ts';
import type { Recon } from '../../server/recon.ts';
import { act, getJson, waitForFindingState } from '../support/actions.ts';
import { type DemoHarness, queueDepth, startDemo } from '../support/demo-harness.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { startTestRecon } from '../support/recon-harness.ts';
import { addUser } from '../support/users.ts';
import { waitFor } from '../support/wait-for.ts';

const INPUT_QUEUE = 'submit-order';
const ERROR_QUEUE = `${INPUT_QUEUE}_error`;

// A MassTransit endpoint's error queue: MassTransit moves a faulted message there itself (no x-death), with MT-Fault-*
// headers. The message is published straight into the queue as MassTransit would have moved it; Recon takes
// custody, and a redrive through the API puts it back into the input queue it failed in.
describe('dead letters from a MassTransit error queue', () => {
  let env: IsolatedEnv;
  let demo: DemoHarness;
  let recon: Recon;
  let operator: string;
  const orderId = randomUUID();
  const messageId = randomUUID();
  const body = Buffer.from(
    JSON.stringify({
      messageId,
      conversationId: randomUUID(),
      messageType: ['urn:message:Shop.Contracts:SubmitOrder'],
      message: { orderId, customerId: 'c-17', lines: [{ sku: 'ramen', quantity: 2 }] },
      sentTime: '2026-05-04T10:11:10.000Z',
    }),
  );
  let faultHeaders: Record<string, unknown>;
  let findingId: string;

  beforeAll(async () => {
    env = await createIsolatedEnv('dl_masstransit');
    // The dispatch database a redrive checks first; no service consumes anything here.
    demo = await startDemo(env, { services: { relay: false, dispatch: false, replenisher: false } });
    faultHeaders = {
      'MT-Reason': 'fault',
      'MT-Fault-ExceptionType': 'System.InvalidOperationException',
      'MT-Fault-Message': 'The kitchen is closed',
      'MT-Fault-StackTrace': '   at Shop.SubmitOrderConsumer.Consume(ConsumeContext`1 context)',
      'MT-Fault-Timestamp': '2026-05-04T10:11:12.1234567Z',
      'MT-Fault-InputAddress': `rabbitmq://localhost/${encodeURIComponent(env.vhost)}/${INPUT_QUEUE}`,
      'MT-Fault-ConsumerType': 'Shop.SubmitOrderConsumer',
      'MT-Fault-MessageType': 'Shop.Contracts:SubmitOrder',
    };
    const connection = await amqp.connect(env.rabbitmqUrl);
    try {
      const channel = await connection.createConfirmChannel();
      await channel.assertQueue(INPUT_QUEUE, { durable: true });
      await channel.assertQueue(ERROR_QUEUE, { durable: true });
      channel.sendToQueue(ERROR_QUEUE, body, {
        messageId,
        contentType: 'application/vnd.masstransit+json',
        persistent: true,
        headers: faultHeaders,
      });
      await channel.waitForConfirms();
    } finally {
      await connection.close();
    }
    recon = await startTestRecon(
      env,
      {},
      {
        watchedDeadLetters: {
          queues: [{ queue: ERROR_QUEUE, style: 'masstransit' }],
          orderIdPath: '$.message.orderId',
        },
      },
    );
    operator = await addUser(env, 'mara', 'operator');
  });
  afterAll(async () => {
    await recon?.stop();
    await demo?.stop();
    await env?.destroy();
  });

  it('stores the letter with reason fault, the input queue as origin and the order id from the envelope', async () => {
    await waitFor('the fault in custody', async () => {
      const page = await getJson(recon, `/api/findings?kind=dead-letter&state=open&q=${orderId}`);
      findingId = page.items[0]?.id;
      return page.items.length === 1;
    });
    const finding = await getJson(recon, `/api/findings/${encodeURIComponent(findingId)}`);
    expect(finding.evidence).toMatchObject({
      messageId,
      orderId,
      queue: ERROR_QUEUE,
      reason: 'fault',
      count: 1,
      originExchange: '',
      originRoutingKeys: [INPUT_QUEUE],
      firstDeathQueue: INPUT_QUEUE,
      isParseable: true,
    });
    const letter = await getJson(recon, `/api/dead-letters/${finding.evidence.deadLetterId}`);
    expect(letter.headers).toMatchObject({
      'MT-Fault-ExceptionType': 'System.InvalidOperationException',
      'MT-Fault-Message': 'The kitchen is closed',
    });
    expect(await queueDepth(env, ERROR_QUEUE)).toBe(0);
    await waitFor('the metric to count it', async () =>
      recon.metricsState.deadLetters.some((d) => d.queue === ERROR_QUEUE && d.reason === 'fault' && d.count === 1),
    );
  });

  it('redrive puts the message back into the input queue it faulted in, with the replay count', async () => {
    const reply = await act(recon, operator, findingId, { action: 'redrive' });
    expect(reply.json).toMatchObject({ status: 'done' });
    const connection = await amqp.connect(env.rabbitmqUrl);
    try {
      const channel = await connection.createChannel();
      const redriven = await channel.get(INPUT_QUEUE, { noAck: true });
      expect(redriven).not.toBe(false);
      if (!redriven) return;
      expect(redriven.content.equals(body)).toBe(true);
      expect(redriven.fields).toMatchObject({ exchange: '', routingKey: INPUT_QUEUE });
      expect(redriven.properties).toMatchObject({ messageId, contentType: 'application/vnd.masstransit+json' });
      // The fault's headers travel along, as when MassTransit's messages are moved back by hand.
      expect(redriven.properties.headers).toMatchObject({ ...faultHeaders, [REPLAY_COUNT_HEADER]: 1 });
      expect(await channel.get(INPUT_QUEUE, { noAck: true })).toBe(false);
    } finally {
      await connection.close();
    }
    expect((await getJson(recon, `/api/dead-letters?q=${orderId}`)).items[0].state).toBe('redriven');
    await waitForFindingState(recon, 'dead-letter', findingId.slice('dead-letter:'.length), 'resolved');
  });
});
