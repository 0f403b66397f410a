import { z } from 'zod';

const identifier = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/,
    'must be a plain SQL identifier (optionally schema.name)',
  );

/** How Recon's rules map onto a system's own tables. Defaults: the reference system of DESIGN.md. */
export const mappingSchema = z
  .object({
    orders: z
      .object({
        table: identifier.default('orders'),
        id: identifier.default('id'),
        status: identifier.default('status'),
        createdAt: identifier.default('created_at'),
        updatedAt: identifier.default('updated_at'),
      })
      .prefault({}),
    outbox: z
      .object({
        table: identifier.default('outbox'),
        id: identifier.default('id'),
        messageId: identifier.default('message_id'),
        aggregateId: identifier.default('aggregate_id'),
        eventType: identifier.default('event_type'),
        createdAt: identifier.default('created_at'),
        publishedAt: identifier.default('published_at'),
        confirmedAt: identifier.default('confirmed_at'),
        attempts: identifier.default('attempts'),
        lastError: identifier.default('last_error'),
      })
      .prefault({}),
    dispatches: z
      .object({
        table: identifier.default('dispatches'),
        id: identifier.default('id'),
        orderId: identifier.default('order_id'),
        messageId: identifier.default('message_id'),
        status: identifier.default('status'),
        createdAt: identifier.default('created_at'),
        updatedAt: identifier.default('updated_at'),
        /** Status values of a dispatch that no longer counts as the order's dispatch. */
        cancelledStatuses: z.array(z.string()).default(['cancelled']),
      })
      .prefault({}),
  })
  .prefault({});

export type Mapping = z.infer<typeof mappingSchema>;

export interface ReconConfig {
  port: number;
  reconDatabaseUrl: string;
  ordersDatabaseUrl: string;
  dispatchDatabaseUrl: string;
  rabbitmqUrl: string;
  rabbitmqManagementUrl: string;
  pollIntervalMs: number;
  graceMs: number;
  overlapMs: number;
  sweepIntervalMs: number;
  pageSize: number;
  logLevel: string;
  mapping: Mapping;
  /** The vhost Recon watches, from RABBITMQ_URL's path ("/" when it has none). */
  vhost: string;
  /** Queues whose depth, unacked count and consumers Recon polls and reports (bounded metric labels). */
  watchedQueues: string[];
  /** Dead-letter queues Recon takes custody of (consumes, stores, acks after commit). */
  deadLetterQueues: string[];
  /** Broker poll interval; never below the broker's statistics interval (5 s by default), which would re-read stale numbers. */
  brokerPollIntervalMs: number;
  /** Consecutive polls a channel or queue must look stuck before a finding opens. */
  brokerStuckPolls: number;
  /** Timeout of one management API request. */
  managementTimeoutMs: number;
  /** Bodies larger than this are stored truncated, with the true size recorded. */
  deadLetterMaxBytes: number;
}

const DEFAULTS = {
  PORT: '8080',
  RECON_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/recon',
  ORDERS_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/orders',
  DISPATCH_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/dispatch',
  RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672',
  RABBITMQ_MANAGEMENT_URL: 'http://guest:guest@127.0.0.1:15672',
  RECON_POLL_INTERVAL_SECONDS: '5',
  RECON_GRACE_SECONDS: '30',
  RECON_OVERLAP_SECONDS: '60',
  RECON_SWEEP_INTERVAL_SECONDS: '600',
  RECON_PAGE_SIZE: '1000',
  RECON_LOG_LEVEL: 'info',
  RECON_MAPPING: '{}',
  RECON_WATCHED_QUEUES: 'dispatch.order-created,orders.replenish,dispatch.order-created.dlq',
  RECON_DEAD_LETTER_QUEUES: 'dispatch.order-created.dlq',
  RECON_BROKER_POLL_INTERVAL_SECONDS: '5',
  RECON_BROKER_STUCK_POLLS: '3',
  RECON_MANAGEMENT_TIMEOUT_SECONDS: '5',
  RECON_DEAD_LETTER_MAX_BYTES: '1048576',
} as const;

export class ConfigError extends Error {}

/** Pure: reads the environment once at start. A bad value fails with the variable named. */
export function loadConfig(env: Record<string, string | undefined>): ReconConfig {
  const get = (name: keyof typeof DEFAULTS) => env[name] ?? DEFAULTS[name];
  const numberOf = (name: keyof typeof DEFAULTS, min: number) => {
    const value = Number(get(name));
    if (!Number.isFinite(value) || value < min)
      throw new ConfigError(`${name} must be a number ≥ ${min}, got "${get(name)}"`);
    return value;
  };
  const url = (name: keyof typeof DEFAULTS, protocols: string[]) => {
    const text = get(name);
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      throw new ConfigError(`${name} is not a URL`);
    }
    if (!protocols.includes(parsed.protocol))
      throw new ConfigError(`${name} must start with ${protocols.join(' or ')}`);
    return text;
  };
  let mappingJson: unknown;
  try {
    mappingJson = JSON.parse(get('RECON_MAPPING'));
  } catch {
    throw new ConfigError('RECON_MAPPING must be JSON, e.g. {"orders":{"table":"purchase_orders"}}');
  }
  const mapping = mappingSchema.safeParse(mappingJson);
  if (!mapping.success) throw new ConfigError(`RECON_MAPPING: ${z.prettifyError(mapping.error)}`);
  const port = numberOf('PORT', 0);
  if (!Number.isInteger(port) || port > 65535)
    throw new ConfigError(`PORT must be an integer 0..65535, got "${get('PORT')}"`);
  const pg = ['postgres:', 'postgresql:'];
  const rabbitmqUrl = url('RABBITMQ_URL', ['amqp:', 'amqps:']);
  const list = (name: keyof typeof DEFAULTS) =>
    get(name)
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  return {
    port,
    reconDatabaseUrl: url('RECON_DATABASE_URL', pg),
    ordersDatabaseUrl: url('ORDERS_DATABASE_URL', pg),
    dispatchDatabaseUrl: url('DISPATCH_DATABASE_URL', pg),
    rabbitmqUrl,
    rabbitmqManagementUrl: url('RABBITMQ_MANAGEMENT_URL', ['http:', 'https:']),
    pollIntervalMs: numberOf('RECON_POLL_INTERVAL_SECONDS', 0.1) * 1000,
    graceMs: numberOf('RECON_GRACE_SECONDS', 0) * 1000,
    overlapMs: numberOf('RECON_OVERLAP_SECONDS', 0) * 1000,
    sweepIntervalMs: numberOf('RECON_SWEEP_INTERVAL_SECONDS', 1) * 1000,
    pageSize: numberOf('RECON_PAGE_SIZE', 10),
    logLevel: get('RECON_LOG_LEVEL'),
    mapping: mapping.data,
    vhost: decodeURIComponent(new URL(rabbitmqUrl).pathname.slice(1)) || '/',
    watchedQueues: list('RECON_WATCHED_QUEUES'),
    deadLetterQueues: list('RECON_DEAD_LETTER_QUEUES'),
    brokerPollIntervalMs: numberOf('RECON_BROKER_POLL_INTERVAL_SECONDS', 1) * 1000,
    brokerStuckPolls: numberOf('RECON_BROKER_STUCK_POLLS', 2),
    managementTimeoutMs: numberOf('RECON_MANAGEMENT_TIMEOUT_SECONDS', 0.5) * 1000,
    deadLetterMaxBytes: numberOf('RECON_DEAD_LETTER_MAX_BYTES', 1024),
  };
}
