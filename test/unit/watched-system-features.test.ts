import { describe, expect, it } from 'vitest';
import { fileWithFlow, loadText } from '../support/watched-system.ts';

const featuresOf = (flow: string, file = fileWithFlow(flow)) =>
  Object.fromEntries(loadText(file).features.map((note) => [note.feature, note]));

describe('what the watched system says about its features', () => {
  it('reads orders only in the full sweep when order.updatedAt is null, and says so', () => {
    expect(featuresOf('order: { updatedAt: null }')['incremental-orders']).toEqual({
      feature: 'incremental-orders',
      isOn: false,
      detail:
        'flows[0].order.updatedAt is null: changes are seen by the full sweep only (every RECON_SWEEP_INTERVAL_SECONDS; 120 s unless that is set)',
    });
  });

  it('reads dispatches only in the full sweep when dispatch.updatedAt is null, and cancels without an update time', () => {
    const features = featuresOf('dispatch: { updatedAt: null }');
    expect(features['incremental-dispatches']).toMatchObject({
      isOn: false,
      detail: expect.stringMatching(/full sweep only/),
    });
    expect(features['cancel-dispatch']).toMatchObject({ isOn: true, detail: expect.stringMatching(/no update time/) });
  });

  it("adds a file's own dead-letter queues to the reference system's queues when broker.watchedQueues is unset", () => {
    const system = loadText(fileWithFlow('deadLetterQueues: [{ queue: shop.orders.dlq }]'));
    expect(system.broker.watchedQueues).toEqual([
      'dispatch.order-created',
      'orders.replenish',
      'dispatch.order-created.dlq',
      'shop.orders.dlq',
    ]);
    expect(system.features.find((note) => note.feature === 'watched-queues')).toMatchObject({
      isOn: true,
      detail: expect.stringMatching(
        /^broker\.watchedQueues is not set: watching the reference system's queues and the dead-letter queues \(.*shop\.orders\.dlq\)/,
      ),
    });
  });

  it('watches the queues a file lists, and says nothing about the list', () => {
    const file = fileWithFlow('deadLetterQueues: []').replace(
      'management: ',
      'watchedQueues: [shop.orders], management: ',
    );
    const system = loadText(file);
    expect(system.broker.watchedQueues).toEqual(['shop.orders']);
    expect(system.features.map((note) => note.feature)).not.toContain('watched-queues');
  });

  it("says a MassTransit flow's redelivered body goes bare until message.envelope wraps it", () => {
    const flow = (
      message: string,
    ) => `message: { exchange: shop, routingKey: order.submitted, orderIdPath: "$.message.orderId", body: { orderId: id }${message} }
deadLetterQueues: [{ queue: submit-order_error, style: masstransit }]`;
    expect(featuresOf(flow('')).redeliver?.detail).toMatch(
      /sent as plain JSON: a MassTransit consumer reads it only with UseRawJsonDeserializer; set flows\[0\]\.message\.envelope/,
    );
    const wrapped = featuresOf(
      flow(', envelope: { style: masstransit, messageType: "urn:message:Shop:OrderSubmitted" }'),
    );
    expect(wrapped.redeliver?.detail).toMatch(/wrapped in MassTransit's envelope as urn:message:Shop:OrderSubmitted/);
  });

  it('checks no outbox and republishes nothing without one', () => {
    const features = featuresOf('outbox: null');
    expect(features['stuck-outbox']).toMatchObject({
      isOn: false,
      detail: 'flows[0].outbox is null: no stuck-outbox checks',
    });
    expect(features.republish).toMatchObject({
      isOn: false,
      detail: expect.stringMatching(/^flows\[0\]\.outbox is null/),
    });
  });

  it('offers no republish without a payload or a way to mark the row', () => {
    expect(featuresOf('outbox: { payload: null }').republish).toMatchObject({
      isOn: false,
      detail: expect.stringMatching(/^flows\[0\]\.outbox\.payload is null/),
    });
    expect(featuresOf('outbox: { markPublished: null }').republish).toMatchObject({
      isOn: false,
      detail: expect.stringMatching(/^flows\[0\]\.outbox\.markPublished is null/),
    });
  });

  it("says why MassTransit's outbox is not republished", () => {
    expect(featuresOf('outbox: { preset: masstransit }').republish).toMatchObject({
      isOn: false,
      detail: expect.stringMatching(/delivery service sends each row and then deletes it/),
    });
  });

  it('offers no redeliver without a message body', () => {
    expect(featuresOf('message: { body: null }').redeliver).toMatchObject({
      isOn: false,
      detail: 'flows[0].message.body is null: nothing says what body the consumer expects',
    });
  });

  it('offers no make-up-order without an order snapshot on either side', () => {
    expect(featuresOf('order: { snapshot: null }')['make-up-order']).toMatchObject({ isOn: false });
    expect(featuresOf('dispatch: { orderSnapshot: null }')['make-up-order']).toMatchObject({
      isOn: false,
      detail: 'flows[0].dispatch.orderSnapshot is null: a dispatch keeps no copy of its order',
    });
  });

  it('writes no status on a made-up order when order.status is null', () => {
    expect(featuresOf('order: { status: null }')['make-up-order']).toMatchObject({
      isOn: true,
      detail: expect.stringMatching(/flows\[0\]\.order\.status is null: no status is written/),
    });
  });

  it('says the sweeper is blind to a redelivery without an inbox', () => {
    expect(featuresOf('inbox: null').inbox).toMatchObject({
      isOn: false,
      detail: "flows[0].inbox is null: without an inbox, the sweeper cannot see a redelivery's effect",
    });
  });

  it('applies the needsDispatch filter when there is one', () => {
    expect(featuresOf(`order: { needsDispatch: "status <> 'pickup'" }`)['needs-dispatch']).toMatchObject({
      isOn: true,
      detail: 'only orders where flows[0].order.needsDispatch holds should get a dispatch',
    });
  });

  it('says how each database reads local timestamps, and reminds that CAP writes local time', () => {
    const file = fileWithFlow('outbox: { preset: cap, orderId: { json: Content, path: $.Value.Id } }').replace(
      'orders: { url:',
      'orders: { timeZone: Asia/Shanghai, url:',
    );
    const features = featuresOf('', file);
    expect(features['time-zone:orders']?.detail).toMatch(
      /^databases\.orders\.timeZone: .* read as Asia\/Shanghai time/,
    );
    expect(features['time-zone:orders']?.detail).toMatch(
      /CAP writes "Added" of cap\.published in its host's local time/,
    );
    expect(features['time-zone:dispatch']?.detail).toMatch(/read as UTC time$/);
  });
});
