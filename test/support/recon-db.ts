import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrateStore } from '../../server/store/migrate.ts';

const ADMIN_URL = process.env.RECON_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const HOW_TO_START = 'Start the services with: bash scripts/services.sh (it starts PostgreSQL and RabbitMQ).';

/** One test file's own Recon database on the shared PostgreSQL, so files can run in parallel. */
export interface ReconDb {
  name: string;
  url: string;
  pool: pg.Pool;
  /** Closes the pool and drops the database, even with connections still open. */
  destroy(): Promise<void>;
}

/** Creates the database and, unless told not to, applies Recon's migrations to it. */
export async function createReconDb(label: string, { migrate = true } = {}): Promise<ReconDb> {
  const name = `t_store_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(3).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE "${name}"`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 5 });
  if (migrate) await migrateStore(pool);
  return {
    name,
    url: url.toString(),
    pool,
    async destroy() {
      await pool.end();
      await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

async function withAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5_000 });
  try {
    await admin.connect();
  } catch (err) {
    const shown = new URL(ADMIN_URL);
    if (shown.password) shown.password = '***';
    throw new Error(`PostgreSQL is not reachable at ${shown}. ${HOW_TO_START}`, { cause: err });
  }
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}
