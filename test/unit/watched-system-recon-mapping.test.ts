import { describe, expect, it } from 'vitest';
import { loadWatchedSystem } from '../../server/watched-system/load-watched-system.ts';
import { issuesOf, loadText } from '../support/watched-system.ts';

const noFiles = () => undefined;

const MAPPING = {
  orders: {
    table: 'shop.purchase_orders',
    id: 'order_no',
    status: 'state',
    createdAt: 'placed_at',
    updatedAt: 'changed_at',
    customerId: 'buyer',
    items: 'lines',
    totalCents: 'amount',
    madeUpStatus: 'recovered',
  },
  outbox: {
    table: 'shop.events_out',
    messageId: 'msg_id',
    aggregateId: 'order_no',
    eventType: 'kind',
    createdAt: 'written_at',
    publishedAt: 'sent_at',
    confirmedAt: 'acked_at',
    attempts: 'tries',
    lastError: 'error',
    payload: 'body',
  },
  dispatches: {
    table: 'rides',
    id: 'ride_id',
    orderId: 'order_ref',
    messageId: 'msg_id',
    status: 'state',
    createdAt: 'made_at',
    updatedAt: 'changed_at',
    orderSnapshot: 'order_json',
    cancelledStatuses: ['void', 'cancelled'],
    courier: null,
  },
  inbox: { table: 'seen_messages', messageId: 'msg' },
  messages: { exchange: 'shop', orderCreatedRoutingKey: 'order.placed' },
};

describe('the deprecated RECON_MAPPING', () => {
  it('still maps every key onto the watched system, and says it is deprecated', () => {
    const system = loadWatchedSystem({ RECON_MAPPING: JSON.stringify(MAPPING) }, noFiles);
    const { order, outbox, message, dispatch, inbox } = system.flow;

    expect(system.origin).toBe('RECON_MAPPING');
    expect(order).toMatchObject({ table: 'shop.purchase_orders', id: 'order_no', status: 'state' });
    expect(order).toMatchObject({ createdAt: 'placed_at', updatedAt: 'changed_at', madeUpStatus: 'recovered' });
    expect(order.snapshot?.columns).toEqual({ buyer: '$.customerId', lines: '$.items', amount: '$.totalCents' });
    expect(outbox).toMatchObject({
      table: 'shop.events_out',
      pending: { kind: 'column-null', column: 'acked_at' },
      messageId: { column: 'msg_id' },
      orderId: { column: 'order_no' },
      eventType: 'kind',
      createdAt: 'written_at',
      publishedAt: 'sent_at',
      attempts: 'tries',
      lastError: 'error',
      payload: { column: 'body' },
      markPublished: [
        { column: 'acked_at', value: { now: true } },
        { column: 'sent_at', value: { now: true, onlyIfNull: true } },
      ],
    });
    expect(message).toEqual({
      exchange: 'shop',
      routingKey: 'order.placed',
      orderIdPath: '$.orderId',
      body: { orderId: 'order_no', customerId: 'buyer', items: 'lines', totalCents: 'amount', createdAt: 'placed_at' },
      headers: {},
      messageIdHeader: null,
      envelope: null,
    });
    expect(dispatch).toEqual({ database: 'dispatch', ...MAPPING.dispatches });
    expect(inbox).toMatchObject({ table: 'seen_messages', messageId: { column: 'msg' } });
    expect(system.features[0]).toMatchObject({ feature: 'recon-mapping', detail: expect.stringMatching(/deprecated/) });
  });

  it('resolves an empty mapping to the reference system, with the deprecation note', () => {
    const { origin, features, ...fromMapping } = loadWatchedSystem({ RECON_MAPPING: '{}' }, noFiles);
    const { origin: _, features: defaultFeatures, ...defaults } = loadWatchedSystem({}, noFiles);
    expect(origin).toBe('RECON_MAPPING');
    expect(fromMapping).toEqual(defaults);
    expect(features).toEqual([expect.objectContaining({ feature: 'recon-mapping' }), ...defaultFeatures]);
  });

  it('keeps a consumer without an inbox and a dispatch without a courier', () => {
    const system = loadWatchedSystem({ RECON_MAPPING: '{"inbox":null,"dispatches":{"courier":null}}' }, noFiles);
    expect(system.flow.inbox).toBeNull();
    expect(system.flow.dispatch.courier).toBeNull();
  });

  it('says the outbox row id it was given is not used any more', () => {
    const system = loadWatchedSystem({ RECON_MAPPING: '{"outbox":{"id":"seq"}}' }, noFiles);
    expect(system.features[0]?.detail).toMatch(/RECON_MAPPING\.outbox\.id \("seq"\) is not used/);
  });

  it('refuses a mapping that is not JSON, naming the variable', () => {
    expect(issuesOf(() => loadWatchedSystem({ RECON_MAPPING: '{orders' }, noFiles))).toEqual([
      { path: 'RECON_MAPPING', message: expect.stringMatching(/must be JSON/) },
    ]);
  });

  it('refuses an identifier that is not plain SQL, at its path inside the variable', () => {
    const issues = issuesOf(() => loadWatchedSystem({ RECON_MAPPING: '{"orders":{"table":"orders; drop"}}' }, noFiles));
    expect(issues.map((issue) => issue.path)).toEqual(['RECON_MAPPING.orders.table']);
  });

  it('is refused beside a watched-system file, which would silently win', () => {
    const issues = issuesOf(() => loadText('flows: []', { RECON_MAPPING: '{}' }));
    expect(issues[0]).toEqual({
      path: 'RECON_MAPPING',
      message: expect.stringMatching(/move what it says into the file/),
    });
  });
});
