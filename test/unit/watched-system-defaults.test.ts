import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { loadWatchedSystem, readFileIfExists } from '../../server/watched-system/load-watched-system.ts';
import { mappingSchema } from '../../server/watched-system/recon-mapping.ts';
import { issuesOf, loadFixture } from '../support/watched-system.ts';

const noFiles = () => undefined;

describe('the watched system without a file', () => {
  it('is the reference system, column for column what RECON_MAPPING defaulted to', () => {
    const system = loadWatchedSystem({}, noFiles);
    const m = mappingSchema.parse({});
    const { order, outbox, message, dispatch, inbox } = system.flow;

    expect(system.origin).toBe('defaults');
    expect(system.databases).toEqual({
      orders: { url: 'postgres://postgres@127.0.0.1:5432/orders', timeZone: 'UTC' },
      dispatch: { url: 'postgres://postgres@127.0.0.1:5432/dispatch', timeZone: 'UTC' },
    });
    expect(system.broker).toEqual({
      url: 'amqp://guest:guest@127.0.0.1:5672',
      management: 'http://guest:guest@127.0.0.1:15672',
      watchedQueues: ['dispatch.order-created', 'orders.replenish', 'dispatch.order-created.dlq'],
    });
    expect(system.flow.name).toBe('orders');
    expect(order).toEqual({
      database: 'orders',
      table: m.orders.table,
      id: m.orders.id,
      createdAt: m.orders.createdAt,
      updatedAt: m.orders.updatedAt,
      status: m.orders.status,
      needsDispatch: null,
      snapshot: {
        orderIdPath: '$.orderId',
        createdAtPath: '$.createdAt',
        columns: {
          [m.orders.customerId]: '$.customerId',
          [m.orders.items]: '$.items',
          [m.orders.totalCents]: '$.totalCents',
        },
      },
      madeUpStatus: m.orders.madeUpStatus,
    });
    expect(outbox).toEqual({
      preset: 'timestamps',
      database: 'orders',
      table: m.outbox.table,
      pending: { kind: 'column-null', column: m.outbox.confirmedAt },
      failed: null,
      delayed: null,
      filter: null,
      messageId: { column: m.outbox.messageId },
      orderId: { column: m.outbox.aggregateId },
      createdAt: m.outbox.createdAt,
      eventType: m.outbox.eventType,
      publishedAt: m.outbox.publishedAt,
      attempts: m.outbox.attempts,
      lastError: m.outbox.lastError,
      payload: { column: m.outbox.payload },
      headers: null,
      markPublished: [
        { column: m.outbox.confirmedAt, value: { now: true } },
        { column: m.outbox.publishedAt, value: { now: true, onlyIfNull: true } },
      ],
    });
    expect(message).toEqual({
      exchange: m.messages.exchange,
      routingKey: m.messages.orderCreatedRoutingKey,
      orderIdPath: '$.orderId',
      body: {
        orderId: m.orders.id,
        customerId: m.orders.customerId,
        items: m.orders.items,
        totalCents: m.orders.totalCents,
        createdAt: m.orders.createdAt,
      },
      headers: {},
      messageIdHeader: null,
      envelope: null,
    });
    const { table, ...dispatchColumns } = m.dispatches;
    expect(dispatch).toEqual({ database: 'dispatch', table, ...dispatchColumns });
    expect(inbox).toEqual({
      preset: 'table',
      database: 'dispatch',
      table: m.inbox?.table,
      messageId: { column: m.inbox?.messageId },
      filter: null,
      processedAt: 'processed_at',
    });
    expect(system.flow.deadLetterQueues).toEqual([
      { queue: 'dispatch.order-created.dlq', style: 'dead-letter-exchange' },
    ]);
  });

  it('turns every feature on for the reference system but the needsDispatch filter it has no use for', () => {
    const off = loadWatchedSystem({}, noFiles).features.filter((note) => !note.isOn);
    expect(off.map((note) => note.feature)).toEqual(['needs-dispatch']);
  });

  it('is what loadConfig watches when there is no file', () => {
    const config = loadConfig({}, noFiles);
    expect(config.watched).toEqual(loadWatchedSystem({}, noFiles));
    expect([config.rabbitmqUrl, config.rabbitmqManagementUrl, config.watchedQueues]).toEqual([
      config.watched.broker.url,
      config.watched.broker.management,
      config.watched.broker.watchedQueues,
    ]);
  });

  it('takes the URLs and queues from the variables it always read', () => {
    const system = loadWatchedSystem(
      {
        ORDERS_DATABASE_URL: 'postgres://o@db/orders',
        DISPATCH_DATABASE_URL: 'postgresql://d@db/dispatch',
        RABBITMQ_URL: 'amqps://u:p@mq/prod',
        RABBITMQ_MANAGEMENT_URL: 'https://u:p@mq:15671',
        RECON_WATCHED_QUEUES: 'a, b',
        RECON_DEAD_LETTER_QUEUES: 'a.dlq,b.dlq',
      },
      noFiles,
    );
    expect(system.databases.orders?.url).toBe('postgres://o@db/orders');
    expect(system.databases.dispatch?.url).toBe('postgresql://d@db/dispatch');
    expect(system.broker).toEqual({
      url: 'amqps://u:p@mq/prod',
      management: 'https://u:p@mq:15671',
      watchedQueues: ['a', 'b'],
    });
    expect(system.flow.deadLetterQueues.map((q) => q.queue)).toEqual(['a.dlq', 'b.dlq']);
  });

  it('names the variable, not a file path, when a URL from the environment is wrong', () => {
    expect(issuesOf(() => loadWatchedSystem({ ORDERS_DATABASE_URL: 'mysql://db/orders' }, noFiles))).toEqual([
      { path: 'ORDERS_DATABASE_URL', message: 'expected a postgres:// or postgresql:// URL' },
    ]);
  });

  it('reads ./recon.yaml when RECON_CONFIG is not set', () => {
    const text = 'databases: {}\nbroker: {}\nflows: []\n';
    const read = (path: string) => (path === './recon.yaml' ? text : undefined);
    expect(issuesOf(() => loadWatchedSystem({}, read)).map((issue) => issue.path)).toContain('flows');
  });

  it('refuses a RECON_CONFIG that names no file, naming the path', () => {
    expect(() => loadWatchedSystem({ RECON_CONFIG: '/etc/recon/watched.yaml' }, noFiles)).toThrow(
      'RECON_CONFIG names /etc/recon/watched.yaml, which does not exist',
    );
  });

  it('says so when the file cannot be read, keeping the cause', () => {
    const denied = new Error('EACCES: permission denied');
    const read = () => {
      throw denied;
    };
    expect(() => loadWatchedSystem({ RECON_CONFIG: 'recon.yaml' }, read)).toThrow(
      /recon.yaml.*cannot be read: EACCES/s,
    );
  });

  it('reads a file from disk, and no file as undefined rather than an error', () => {
    const fixture = new URL('../fixtures/watched-system/reference.yaml', import.meta.url).pathname;
    expect(readFileIfExists(fixture)).toMatch(/^# yaml-language-server/);
    expect(readFileIfExists(`${fixture}.missing`)).toBeUndefined();
  });

  it('resolves a file that writes the reference system out in full to exactly the defaults', () => {
    const { origin: _file, ...fromFile } = loadFixture('reference');
    const { origin: _defaults, ...defaults } = loadWatchedSystem({}, noFiles);
    expect(fromFile).toEqual(defaults);
  });
});
