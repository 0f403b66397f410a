import type { Channel, ChannelModel } from 'amqplib';
import pg from 'pg';
import type { Logger } from 'pino';
import { type AmqpLink, createAmqpLink } from './amqp-link.ts';
import { type ConfirmPublisher, createConfirmPublisher } from './confirm-publisher.ts';
import { type DispatchStats, newDispatchStats, startDispatchConsumer } from './dispatch-service.ts';
import { createFaultLedger, type FaultRates } from './faults.ts';
import { type LostDispatchWorker, startLostDispatchWorker } from './lost-dispatch.ts';
import { migrate } from './migrate.ts';
import { createOrderService, type OrderService } from './order-service.ts';
import { startOutboxRelay } from './outbox-relay.ts';
import { startReplenisher } from './replenisher.ts';
import { declareTopology } from './topology.ts';

export interface DemoSystemOptions {
  ordersDatabaseUrl: string;
  dispatchDatabaseUrl: string;
  rabbitmqUrl: string;
  faults: FaultRates;
  replenishDelayMs: number;
  prefetch: number;
  confirmTimeoutMs: number;
  /** Which services run in this process (all by default). */
  services?: Partial<Record<'relay' | 'dispatch' | 'replenisher', boolean>>;
  log: Logger;
}

export interface DemoSystem {
  orders: OrderService;
  lostDispatch: LostDispatchWorker;
  dispatchStats: DispatchStats;
  ordersPool: pg.Pool;
  dispatchPool: pg.Pool;
  /** Resolves once every started service is connected to the broker. */
  ready(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the reference takeout system in this process: order service with relay, dispatch, replenisher, chaos. */
export async function startDemoSystem(options: DemoSystemOptions): Promise<DemoSystem> {
  const { faults, log, services = {} } = options;
  const isOn = (name: keyof NonNullable<DemoSystemOptions['services']>) => services[name] !== false;
  const ordersPool = createPool(options.ordersDatabaseUrl);
  const dispatchPool = createPool(options.dispatchDatabaseUrl);
  await migrate(ordersPool, 'orders');
  await migrate(dispatchPool, 'dispatch');
  const ledger = createFaultLedger(ordersPool);
  const links: AmqpLink[] = [];
  let isStopping = false;

  const link = (
    name: string,
    setup: (connection: ChannelModel, restart: (reason: string) => void) => Promise<Channel>,
  ) => {
    const created: AmqpLink = createAmqpLink({
      url: options.rabbitmqUrl,
      name: `demo-${name}`,
      log: log.child({ service: name }),
      async onConnect(connection) {
        const channel = await setup(connection, (reason) => created.restart(reason));
        // Any channel loss is handled like a process restart: drop the connection and set everything up again.
        channel.on('close', () => {
          if (!isStopping) created.restart(`${name} channel closed`);
        });
      },
    });
    links.push(created);
    return created;
  };

  let publisher: ConfirmPublisher | undefined;
  const orderLink = link('order-service', async (connection) => {
    const channel = await connection.createConfirmChannel();
    await declareTopology(channel);
    publisher = createConfirmPublisher(channel, options.confirmTimeoutMs);
    channel.on('close', () => {
      publisher = undefined;
    });
    return channel;
  });
  const getPublisher = () => publisher;

  const relay = isOn('relay')
    ? startOutboxRelay({
        pool: ordersPool,
        log: log.child({ service: 'relay' }),
        faults,
        ledger,
        getPublisher,
        crash: (r) => orderLink.restart(r),
      })
    : undefined;
  const orders = createOrderService({ pool: ordersPool, ledger, getPublisher, onOrderCommitted: () => relay?.kick() });

  const dispatchStats = newDispatchStats();
  if (isOn('dispatch')) {
    link('dispatch-service', async (connection, restart) => {
      const channel = await connection.createChannel();
      await declareTopology(channel);
      const deps = {
        pool: dispatchPool,
        log: log.child({ service: 'dispatch' }),
        faults,
        ledger,
        crash: restart,
        stats: dispatchStats,
      };
      await startDispatchConsumer(channel, options.prefetch, deps);
      return channel;
    });
  }
  if (isOn('replenisher')) {
    link('replenisher', async (connection) => {
      const channel = await connection.createChannel();
      await declareTopology(channel);
      const deps = {
        pool: ordersPool,
        log: log.child({ service: 'replenisher' }),
        faults,
        ledger,
        delayMs: options.replenishDelayMs,
      };
      // Messages wait in the consumer until due, so the prefetch bounds how many orders are checked per delay.
      await startReplenisher(channel, Math.max(options.prefetch, 500), deps);
      return channel;
    });
  }
  const lostDispatch = startLostDispatchWorker({ pool: dispatchPool, ledger, log: log.child({ service: 'chaos' }) });

  return {
    orders,
    lostDispatch,
    dispatchStats,
    ordersPool,
    dispatchPool,
    async ready() {
      await Promise.all(links.map((l) => l.ready()));
    },
    async stop() {
      isStopping = true;
      await relay?.stop();
      await lostDispatch.stop();
      await Promise.all(links.map((l) => l.close()));
      await Promise.all([ordersPool.end(), dispatchPool.end()]);
    },
  };
}

function createPool(connectionString: string): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: 10, connectionTimeoutMillis: 5_000, statement_timeout: 15_000 });
  // An idle client losing its server (database restart) emits here; without a listener the process would exit.
  pool.on('error', () => {});
  return pool;
}
