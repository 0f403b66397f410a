import { describe, expect, it } from 'vitest';
import { loadFixture } from '../support/watched-system.ts';

// Realistic files, one per outbox preset, under test/fixtures/watched-system: they load as they are.
const offFeatures = (name: string) =>
  loadFixture(name)
    .features.filter((note) => !note.isOn)
    .map((note) => note.feature);

describe('realistic watched-system files', () => {
  it("loads DESIGN's example as it is written, the contract files from outside follow", () => {
    const { databases, flow } = loadFixture('design-example');
    expect(databases).toEqual({
      shop: { url: 'postgres://shop:secret@db.internal:5432/shop', timeZone: 'Asia/Shanghai' },
      delivery: { url: 'postgres://delivery:secret@db.internal:5432/delivery', timeZone: 'UTC' },
    });
    expect(flow.order).toMatchObject({ table: 'purchase_order', id: 'order_no', snapshot: null });
    expect(flow.outbox).toMatchObject({ preset: 'cap', orderId: { json: 'Content', path: '$.Value.OrderNo' } });
    expect(flow.message).toEqual({
      exchange: 'orders',
      routingKey: 'order.created',
      orderIdPath: '$.orderNo',
      body: null,
      // CAP's consumer finds its subscriber by cap-msg-name and the message by cap-msg-id: the preset's headers.
      headers: { 'cap-msg-name': 'order.created' },
      messageIdHeader: 'cap-msg-id',
      envelope: null,
    });
    expect(flow.dispatch).toMatchObject({
      table: 'delivery',
      orderId: 'order_ref',
      cancelledStatuses: ['CANCELLED', 4],
    });
    expect(flow.inbox).toBeNull();
    expect(flow.deadLetterQueues).toEqual([
      { queue: 'dispatch.order-created.dlq', style: 'dead-letter-exchange' },
      { queue: 'delivery_error', style: 'masstransit' },
    ]);
  });

  it('spring-modulith: a Spring Boot shop and a fulfilment service', () => {
    const { databases, flow } = loadFixture('spring-modulith');
    expect(databases.shop).toEqual({ url: 'postgres://shop:secret@db.internal:5432/shop', timeZone: 'UTC' });
    expect(flow.name).toBe('order-placed');
    expect(flow.order).toMatchObject({ table: 'shop.customer_order', needsDispatch: "delivery_method = 'COURIER'" });
    expect(flow.outbox).toMatchObject({
      table: 'event_publication',
      pending: { kind: 'column-null', column: 'completion_date' },
      filter: expect.stringMatching(/^listener_id = '.*DelegatingEventExternalizer.* AND event_type = /),
      orderId: { json: 'serialized_event', path: '$.orderId' },
    });
    expect(flow.dispatch).toMatchObject({ table: 'rider_assignment', cancelledStatuses: ['CANCELLED', 'WITHDRAWN'] });
    expect(flow.inbox).toMatchObject({ database: 'fulfilment', table: 'processed_event' });
    expect(offFeatures('spring-modulith')).toEqual([]);
  });

  it("cap: DESIGN's example, with CAP's inbox and local times", () => {
    const { databases, flow, features } = loadFixture('cap');
    expect(databases.shop?.timeZone).toBe('Asia/Shanghai');
    expect(flow.outbox).toMatchObject({
      table: 'cap.published',
      orderId: { json: 'Content', path: '$.Value.OrderNo' },
    });
    expect(flow.dispatch).toMatchObject({ orderId: 'order_ref', messageId: null, cancelledStatuses: ['CANCELLED', 4] });
    expect(flow.inbox).toMatchObject({ preset: 'cap', database: 'delivery', table: 'cap.received' });
    expect(features.find((note) => note.feature === 'time-zone:shop')?.detail).toMatch(/CAP writes "Added"/);
    expect(offFeatures('cap')).toEqual([
      'incremental-dispatches',
      'redeliver',
      'make-up-order',
      'dead-letters',
      'dispatch-message',
      'courier',
    ]);
  });

  it("masstransit: the bus outbox and inbox, faults in the consumer's _error queue", () => {
    const { flow } = loadFixture('masstransit');
    expect(flow.outbox).toMatchObject({ table: 'OutboxMessage', pending: { kind: 'row-exists' }, database: 'shop' });
    expect(flow.message).toEqual({
      exchange: 'Shop.Contracts:OrderSubmitted',
      routingKey: '',
      orderIdPath: '$.message.orderId',
      body: null,
      headers: {},
      messageIdHeader: null,
      envelope: null,
    });
    expect(flow.inbox).toMatchObject({ table: 'InboxState', database: 'delivery', filter: '"Consumed" IS NOT NULL' });
    expect(flow.deadLetterQueues).toEqual([{ queue: 'submit-delivery_error', style: 'masstransit' }]);
    expect(offFeatures('masstransit')).toEqual([
      'incremental-dispatches',
      'needs-dispatch',
      'republish',
      'redeliver',
      'make-up-order',
      'dispatch-message',
    ]);
  });

  it("debezium: the outbox event router, judged by the connector's replication slot", () => {
    const { databases, flow } = loadFixture('debezium');
    expect(databases.shipping?.timeZone).toBe('Europe/Berlin');
    expect(flow.outbox).toMatchObject({
      table: 'shop.outboxevent',
      pending: { kind: 'replication-slot', slot: 'debezium_shop', maxLagBytes: 67_108_864 },
      orderId: { column: 'aggregateid' },
      createdAt: null,
    });
    expect(flow.dispatch).toMatchObject({ id: 'shipment_id', courier: 'carrier' });
    expect(offFeatures('debezium')).toEqual(['needs-dispatch', 'republish']);
  });

  it('timestamps: the reference system written out in full', () => {
    expect(loadFixture('reference').flow.outbox?.preset).toBe('timestamps');
    expect(offFeatures('reference')).toEqual(['needs-dispatch']);
  });
});
