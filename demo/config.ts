import { parseArgs } from 'node:util';
import { type FaultRates, noFaults, parseFaultRates } from './faults.ts';

export interface DemoConfig {
  ordersDatabaseUrl: string;
  dispatchDatabaseUrl: string;
  rabbitmqUrl: string;
  rabbitmqManagementUrl: string;
  ratePerSecond: number;
  count?: number;
  durationMs?: number;
  faults: FaultRates;
  replenishDelayMs: number;
  prefetch: number;
  confirmTimeoutMs: number;
  logLevel: string;
}

/** A modest mix: every fault shows up within a minute or two at the default rate. */
export const DEFAULT_FAULTS =
  'publish-then-rollback=0.02,relay-crash-before-confirm=0.01,consumer-crash-before-ack=0.02,poison=0.02,non-idempotent=0.01,lost-dispatch=0.01,replenisher-down=0.5';

export const USAGE = `Usage: npm run demo -- [options]
  --rate N          orders per second (default 2; env DEMO_RATE)
  --count N         stop generating after N orders
  --duration S      stop generating after S seconds
  --faults LIST     fault rates, e.g. poison=0.05,lost-dispatch=0.1 (0..1 each; "none" for none; env DEMO_FAULTS)
                    kinds: publish-then-rollback relay-crash-before-confirm consumer-crash-before-ack poison
                           non-idempotent lost-dispatch replenisher-down
  --replenish-delay MS  how long the replenisher waits before checking an order (default 5000)`;

/** Reads the demo's configuration from the environment and the command line; a bad value names its source. */
export function loadDemoConfig(env: NodeJS.ProcessEnv, argv: string[]): DemoConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      rate: { type: 'string' },
      count: { type: 'string' },
      duration: { type: 'string' },
      faults: { type: 'string' },
      'replenish-delay': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) throw new UsageError(USAGE);
  const faultText = values.faults ?? env.DEMO_FAULTS ?? DEFAULT_FAULTS;
  let faults: FaultRates;
  try {
    faults = faultText === 'none' ? noFaults() : parseFaultRates(faultText);
  } catch (err) {
    throw new UsageError(`--faults / DEMO_FAULTS: ${(err as Error).message}`);
  }
  return {
    ordersDatabaseUrl: env.ORDERS_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/orders',
    dispatchDatabaseUrl: env.DISPATCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/dispatch',
    rabbitmqUrl: env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
    rabbitmqManagementUrl: env.RABBITMQ_MANAGEMENT_URL ?? 'http://guest:guest@127.0.0.1:15672',
    ratePerSecond: positive('--rate / DEMO_RATE', values.rate ?? env.DEMO_RATE ?? '2'),
    count: values.count === undefined ? undefined : positive('--count', values.count),
    durationMs: values.duration === undefined ? undefined : positive('--duration', values.duration) * 1000,
    faults,
    replenishDelayMs: positive('--replenish-delay', values['replenish-delay'] ?? env.DEMO_REPLENISH_DELAY_MS ?? '5000'),
    prefetch: 20,
    confirmTimeoutMs: 10_000,
    logLevel: env.DEMO_LOG_LEVEL ?? 'warn',
  };
}

export class UsageError extends Error {}

function positive(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`${name}: expected a positive number, got "${text}"`);
  return value;
}

/** `amqp://guest:secret@host/` → `amqp://guest:***@host/`: URLs are printed, passwords never. */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
