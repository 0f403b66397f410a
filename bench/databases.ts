import pg from 'pg';

/** The server the benchmark owns three databases on; it drops and recreates them, so never point it at real data. */
export const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const BENCH_DATABASES = { orders: 'bench_orders', dispatch: 'bench_dispatch', recon: 'bench_recon' } as const;
export type BenchDatabase = keyof typeof BENCH_DATABASES;

/** The URL of one bench database on the admin URL's server. */
export function benchUrl(database: BenchDatabase): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${BENCH_DATABASES[database]}`;
  return url.toString();
}

/** The environment Recon's own `loadConfig` reads, pointed at the bench databases; everything else stays default. */
export function benchReconEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    ORDERS_DATABASE_URL: benchUrl('orders'),
    DISPATCH_DATABASE_URL: benchUrl('dispatch'),
    RECON_DATABASE_URL: benchUrl('recon'),
    ...overrides,
  };
}

/** Drops (forcing out any session) and recreates every bench database. */
export async function recreateBenchDatabases(): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect().catch((cause: Error) => {
    throw new Error(`cannot reach PostgreSQL at ${ADMIN_URL}; start it with: bash scripts/services.sh`, { cause });
  });
  try {
    for (const name of Object.values(BENCH_DATABASES)) {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${name}`);
    }
  } finally {
    await admin.end();
  }
}

/** One connection per call site is all the orchestration needs; contestants build their own pools. */
export function benchPool(database: BenchDatabase): pg.Pool {
  return new pg.Pool({ connectionString: benchUrl(database), max: 2 });
}
