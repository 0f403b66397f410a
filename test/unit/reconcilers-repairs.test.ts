import { describe, expect, it } from 'vitest';
import { REPLAY_COUNT_HEADER } from '../../reconcilers/kinds/dead-letter.ts';
import type { OutgoingMessage, PublishResult, RepairPorts, StoredLetter } from '../../reconcilers/ports/repair.ts';
import { repairOf } from '../../reconcilers/registry.ts';
import { type Repair, type RepairRequest, runRepair } from '../../reconcilers/repair.ts';
import { createSnapshotReader } from '../../server/adapters/flow/made-up-order.ts';
import { createMessageEncoder } from '../../server/adapters/message-envelope.ts';
import { makeReferenceFlow } from '../support/flows.ts';

// The repairs' decisions, over in-memory ports; their effects on the real databases and broker are tested in
// test/integration/actions-*.test.ts.
const ORDER_ID = '11111111-1111-4111-8111-111111111111';

function makeLetter(overrides: Partial<StoredLetter> = {}): StoredLetter {
  return {
    id: '7',
    queue: 'dispatch.order-created.dlq',
    state: 'stored',
    messageId: 'm-1',
    body: Buffer.from('{}'),
    bodyTruncated: false,
    contentType: 'application/json',
    properties: {},
    headers: {},
    originExchange: 'orders',
    originRoutingKeys: ['order.created'],
    orderId: null,
    ...overrides,
  };
}

function makePorts(letter: StoredLetter, publishResult: PublishResult = { status: 'confirmed' }) {
  const published: unknown[] = [];
  const settled: string[] = [];
  const ports: RepairPorts = {
    orders: {
      getOrder: async () => null,
      getOutbox: async () => null,
      latestMessageIdFor: async () => null,
      orderFromSnapshot: createSnapshotReader(makeReferenceFlow().order.snapshot!, 'created_at'),
      insertOrder: async () => true,
      markOutboxPublished: async () => true,
    },
    dispatch: {
      liveDispatches: async (orderId) =>
        orderId === ORDER_ID ? [{ id: '9', orderId, createdAt: new Date(0), orderSnapshot: { orderId: 'other' } }] : [],
      cancelDispatches: async () => 1,
      isProcessed: async () => false,
    },
    deadLetters: {
      get: async () => letter,
      settle: async (_id, state) => {
        settled.push(state);
        return true;
      },
    },
    publisher: {
      publish: async (message) => {
        published.push(message);
        return publishResult;
      },
    },
    messageRoute: { exchange: 'orders', routingKey: 'order.created', headers: {}, messageIdHeader: null },
    madeUpStatus: 'replenished',
    maxReplays: 3,
    deadLetterQueues: [{ queue: 'dispatch.order-created.dlq', style: 'dead-letter-exchange' as const }],
  };
  return { ports, published, settled };
}

const request = (overrides: Partial<RepairRequest<unknown>> = {}): RepairRequest<unknown> => ({
  action: 'redrive',
  key: 'm-1',
  evidence: { deadLetterId: '7' },
  messageId: 'derived',
  reason: 'test',
  isRetry: false,
  ...overrides,
});
/** A kind's repair, run as the action service runs it: the premise, then the effect if it holds. */
const repairing = (repair: Repair<unknown>) => (req: RepairRequest<unknown>, ports: RepairPorts) =>
  runRepair(repair, req, ports);
const redrive = repairing(repairOf('dead-letter', 'redrive')!);

describe('redrive', () => {
  it('publishes with the replay count one higher and the broker headers removed', async () => {
    const { ports, published, settled } = makePorts(
      makeLetter({ headers: { 'x-death': [], [REPLAY_COUNT_HEADER]: 1, trace: 'a' } }),
    );
    expect(await redrive(request(), ports)).toMatchObject({ status: 'done' });
    expect(published).toEqual([
      expect.objectContaining({ messageId: 'm-1', headers: { trace: 'a', [REPLAY_COUNT_HEADER]: 2 } }),
    ]);
    expect(settled).toEqual(['redriven']);
  });

  it('refuses a letter already replayed as often as the limit allows', async () => {
    const { ports, published } = makePorts(makeLetter({ headers: { [REPLAY_COUNT_HEADER]: 3 } }));
    expect(await redrive(request(), ports)).toMatchObject({
      status: 'failed',
      detail: expect.stringMatching(/limit is 3/),
    });
    expect(published).toEqual([]);
  });

  it('refuses a body that was stored truncated', async () => {
    const { ports, published } = makePorts(makeLetter({ bodyTruncated: true }));
    expect((await redrive(request(), ports)).status).toBe('failed');
    expect(published).toEqual([]);
  });

  it('says in doubt, never done, when the confirm did not come; the letter stays stored', async () => {
    const { ports, settled } = makePorts(makeLetter(), { status: 'in-doubt', detail: 'confirm timed out' });
    expect((await redrive(request(), ports)).status).toBe('in-doubt');
    expect(settled).toEqual([]);
  });

  it('calls an unroutable publish a failure', async () => {
    const { ports } = makePorts(makeLetter(), { status: 'returned', detail: '312 NO_ROUTE' });
    expect(await redrive(request(), ports)).toMatchObject({
      status: 'failed',
      detail: expect.stringMatching(/unroutable/),
    });
  });
});

describe('make-up-order', () => {
  it('fails rather than invent an order from a snapshot that names another order', async () => {
    const { ports } = makePorts(makeLetter());
    const makeUp = repairing(repairOf('dispatch-without-order', 'make-up-order')!);
    const req = request({ action: 'make-up-order', key: ORDER_ID, evidence: { orderId: ORDER_ID } });
    expect((await makeUp(req, ports)).status).toBe('failed');
  });
});

describe("the headers a library's consumer reads", () => {
  // CAP's subscriber is found by cap-msg-name and its message by cap-msg-id: without them the copy is refused.
  const capRoute = {
    exchange: 'cap.default.router',
    routingKey: 'order.created',
    headers: { 'cap-msg-name': 'order.created' },
    messageIdHeader: 'cap-msg-id',
  };

  it("redeliver sends the flow's headers and its own message id in the id header", async () => {
    const { ports, published } = makePorts(makeLetter());
    ports.messageRoute = capRoute;
    ports.dispatch.liveDispatches = async () => [];
    ports.orders.getOrder = async (id) => ({ id, status: 'PAID', messageBody: `{"OrderNo":${id}}` });
    const redeliver = repairing(repairOf('order-without-dispatch', 'redeliver')!);
    const req = request({ action: 'redeliver', key: '17', evidence: { orderId: '17' }, messageId: 'action-1' });
    expect(await redeliver(req, ports)).toMatchObject({ status: 'done' });
    expect(published).toEqual([
      expect.objectContaining({
        messageId: 'action-1',
        body: Buffer.from('{"OrderNo":17}'),
        headers: { 'cap-msg-name': 'order.created', 'cap-msg-id': 'action-1' },
      }),
    ]);
  });

  it("redeliver wraps the body in MassTransit's envelope when the flow says so, keeping a 19-digit id's digits", async () => {
    const { ports, published } = makePorts(makeLetter());
    const messageId = '3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b';
    ports.messageRoute = {
      ...ports.messageRoute,
      encode: createMessageEncoder(
        { style: 'masstransit', messageType: 'urn:message:Shop.Contracts:OrderSubmitted' },
        () => new Date('2026-12-05T08:00:00Z'),
      ),
    };
    ports.dispatch.liveDispatches = async () => [];
    ports.orders.getOrder = async (id) => ({ id, status: 'PAID', messageBody: `{"orderId":${id}}` });
    const redeliver = repairing(repairOf('order-without-dispatch', 'redeliver')!);
    const key = '9007199254740993123';
    const req = request({ action: 'redeliver', key, evidence: { orderId: key }, messageId });
    expect(await redeliver(req, ports)).toMatchObject({ status: 'done' });
    const [sent] = published as OutgoingMessage[];
    expect(published).toHaveLength(1);
    expect(sent!.contentType).toBe('application/vnd.masstransit+json');
    expect(sent!.body.toString()).toBe(
      `{"messageId":"${messageId}","messageType":["urn:message:Shop.Contracts:OrderSubmitted"],"sentTime":"2026-12-05T08:00:00.000Z","message":{"orderId":${key}}}`,
    );
  });

  it('redeliver to an exchange bound without a routing key says what it sent in words, with no blank', async () => {
    const { ports } = makePorts(makeLetter());
    ports.messageRoute = { ...ports.messageRoute, exchange: 'Shop.Contracts:OrderSubmitted', routingKey: '' };
    ports.dispatch.liveDispatches = async () => [];
    ports.orders.getOrder = async (id) => ({ id, status: 'PAID', messageBody: `{"orderId":${id}}` });
    const redeliver = repairing(repairOf('order-without-dispatch', 'redeliver')!);
    const req = request({ action: 'redeliver', key: '101', evidence: { orderId: '101' }, messageId: 'action-3' });
    const outcome = await redeliver(req, ports);
    expect(outcome).toMatchObject({ status: 'done' });
    expect(outcome.detail).toMatch(/^the message for order 101 to exchange Shop.Contracts:OrderSubmitted/);
  });

  it('redeliver sends the bare body as application/json when the flow has no envelope', async () => {
    const { ports, published } = makePorts(makeLetter());
    ports.dispatch.liveDispatches = async () => [];
    ports.orders.getOrder = async (id) => ({ id, status: 'PAID', messageBody: `{"orderId":"${id}"}` });
    const redeliver = repairing(repairOf('order-without-dispatch', 'redeliver')!);
    const req = request({ action: 'redeliver', key: 'a1', evidence: { orderId: 'a1' }, messageId: 'action-2' });
    expect(await redeliver(req, ports)).toMatchObject({ status: 'done' });
    expect(published).toEqual([
      expect.objectContaining({ contentType: 'application/json', body: Buffer.from('{"orderId":"a1"}') }),
    ]);
  });

  it("republish sends the row's own headers, over the flow's, with the row's message id", async () => {
    const { ports, published } = makePorts(makeLetter());
    ports.messageRoute = capRoute;
    ports.orders.getOutbox = async (messageId) => ({
      messageId,
      orderId: '17',
      isPublished: false,
      body: Buffer.from('{"OrderNo":17}'),
      headers: { 'cap-msg-id': messageId, 'cap-msg-name': 'order.created', 'cap-msg-type': 'OrderCreated' },
    });
    const republish = repairing(repairOf('stuck-outbox', 'republish')!);
    const req = request({ action: 'republish', key: '42', evidence: { messageId: '42' } });
    expect(await republish(req, ports)).toMatchObject({ status: 'done' });
    expect(published).toEqual([
      expect.objectContaining({
        messageId: '42',
        headers: { 'cap-msg-id': '42', 'cap-msg-name': 'order.created', 'cap-msg-type': 'OrderCreated' },
      }),
    ]);
  });
});

describe("a repair's description", () => {
  it("names the effect in the operator's words", () => {
    expect(repairOf('order-without-dispatch', 'redeliver')!.describe({ orderId: ORDER_ID }, ORDER_ID)).toBe(
      `Publish order.created for order ${ORDER_ID} again (a new message id) so the dispatch service assigns a courier`,
    );
  });
});
