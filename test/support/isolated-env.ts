import { randomBytes } from 'node:crypto';
import pg from 'pg';

const ADMIN_URL = process.env.RECON_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const AMQP_BASE = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const MANAGEMENT_URL = process.env.RABBITMQ_MANAGEMENT_URL ?? 'http://guest:guest@127.0.0.1:15672';
const HOW_TO_START =
  'Start the services with: bash scripts/services.sh (it starts PostgreSQL and RabbitMQ, enables the management plugin and creates the databases).';

/** One test file's private world: its own databases on the shared PostgreSQL and its own vhost on the broker. */
export interface IsolatedEnv {
  name: string;
  vhost: string;
  ordersDatabaseUrl: string;
  dispatchDatabaseUrl: string;
  reconDatabaseUrl: string;
  rabbitmqUrl: string;
  managementUrl: string;
  /** Drops the databases and the vhost. */
  destroy(): Promise<void>;
}

export async function createIsolatedEnv(label: string): Promise<IsolatedEnv> {
  const name = `t_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(3).toString('hex')}`;
  const databases = { orders: `${name}_orders`, dispatch: `${name}_dispatch`, recon: `${name}_recon` };
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5_000 });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`PostgreSQL is not reachable at ${maskUrl(ADMIN_URL)}. ${HOW_TO_START}`, { cause: err });
  }
  try {
    for (const db of Object.values(databases)) await admin.query(`CREATE DATABASE "${db}"`);
  } finally {
    await admin.end();
  }
  const vhost = name;
  await management('PUT', `/api/vhosts/${encodeURIComponent(vhost)}`);
  const user = new URL(MANAGEMENT_URL).username || 'guest';
  await management('PUT', `/api/permissions/${encodeURIComponent(vhost)}/${encodeURIComponent(user)}`, {
    configure: '.*',
    write: '.*',
    read: '.*',
  });
  return {
    name,
    vhost,
    ordersDatabaseUrl: databaseUrl(databases.orders),
    dispatchDatabaseUrl: databaseUrl(databases.dispatch),
    reconDatabaseUrl: databaseUrl(databases.recon),
    rabbitmqUrl: `${AMQP_BASE.replace(/\/$/, '')}/${encodeURIComponent(vhost)}`,
    managementUrl: MANAGEMENT_URL,
    async destroy() {
      await management('DELETE', `/api/vhosts/${encodeURIComponent(vhost)}`).catch(() => {});
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      try {
        for (const db of Object.values(databases)) await client.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

function databaseUrl(database: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Calls the management API with the credentials embedded in RABBITMQ_MANAGEMENT_URL. */
export async function management(method: string, path: string, body?: unknown): Promise<unknown> {
  const base = new URL(MANAGEMENT_URL);
  const auth = Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString(
    'base64',
  );
  base.username = '';
  base.password = '';
  let response: Response;
  try {
    response = await fetch(new URL(path, base), {
      method,
      headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    throw new Error(`RabbitMQ management API is not reachable at ${maskUrl(MANAGEMENT_URL)}. ${HOW_TO_START}`, {
      cause: err,
    });
  }
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${await response.text()}`);
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
}

function maskUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
