import amqp from 'amqplib';
import { pino } from 'pino';
import { type FaultKind, type FaultRates, noFaults } from '../../demo/faults.ts';
import { type DemoSystem, type DemoSystemOptions, startDemoSystem } from '../../demo/system.ts';
import type { IsolatedEnv } from './isolated-env.ts';

export interface DemoHarness {
  system: DemoSystem;
  /** Live fault rates: change them while the system runs. */
  faults: FaultRates;
  ledger(kind: FaultKind): Promise<Array<{ order_id: string | null; message_id: string | null }>>;
  stop(): Promise<void>;
}

/** Failures only: what a test wants in its output when it goes wrong. */
export const testLog = () => pino({ level: process.env.TEST_LOG_LEVEL ?? 'warn' });

/** Places `count` orders through the order service's correct path and returns their ids. */
export async function placeOrders(demo: DemoHarness, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await demo.system.orders.placeOrder()).orderId);
  return ids;
}

export async function startDemo(
  env: IsolatedEnv,
  options: { faults?: Partial<FaultRates>; services?: DemoSystemOptions['services']; replenishDelayMs?: number } = {},
): Promise<DemoHarness> {
  const faults = { ...noFaults(), ...options.faults };
  const system = await startDemoSystem({
    ordersDatabaseUrl: env.ordersDatabaseUrl,
    dispatchDatabaseUrl: env.dispatchDatabaseUrl,
    rabbitmqUrl: env.rabbitmqUrl,
    faults,
    replenishDelayMs: options.replenishDelayMs ?? 500,
    prefetch: 20,
    confirmTimeoutMs: 5_000,
    services: options.services,
    log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
  });
  await system.ready();
  return {
    system,
    faults,
    async ledger(kind) {
      const { rows } = await system.ordersPool.query(
        'SELECT order_id, message_id FROM demo_faults WHERE kind = $1 ORDER BY id',
        [kind],
      );
      return rows;
    },
    stop: () => system.stop(),
  };
}

export interface DeadLetter {
  messageId: string | undefined;
  body: string;
  xDeath: Array<{ reason: string; queue: string; exchange: string; 'routing-keys': string[]; count: number }>;
}

/** Reads a queue to the end over AMQP (acking: the queue belongs to this test's vhost) and returns its messages. */
export async function drainQueue(env: IsolatedEnv, queue: string): Promise<DeadLetter[]> {
  const connection = await amqp.connect(env.rabbitmqUrl);
  try {
    const channel = await connection.createChannel();
    const messages: DeadLetter[] = [];
    for (;;) {
      const msg = await channel.get(queue, { noAck: true });
      if (!msg) break;
      messages.push({
        messageId: msg.properties.messageId as string | undefined,
        body: msg.content.toString('utf8'),
        xDeath: (msg.properties.headers?.['x-death'] ?? []) as DeadLetter['xDeath'],
      });
    }
    return messages;
  } finally {
    await connection.close();
  }
}

/** Ready and unacked counts straight from the broker (AMQP passive declare: no statistics lag). */
export async function queueDepth(env: IsolatedEnv, queue: string): Promise<number> {
  const connection = await amqp.connect(env.rabbitmqUrl);
  try {
    const channel = await connection.createChannel();
    return (await channel.checkQueue(queue)).messageCount;
  } finally {
    await connection.close();
  }
}
