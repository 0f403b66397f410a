import pg from 'pg';

export interface PgPoolOptions {
  /** Shown in pg_stat_activity, so a DBA sees who runs a query. */
  applicationName: string;
  max?: number;
  statementTimeoutMs?: number;
}

/**
 * Pages a bitmap heap scan asks the kernel to read ahead (PostgreSQL's default is 1). A cycle looks up a thousand
 * changed keys at random places in a large table with `= ANY($1)`, a bitmap heap scan; with prefetching its random
 * reads overlap instead of waiting one after another, which matters when the pages are not cached.
 */
const PREFETCH_PAGES = 32;

/**
 * node-postgres waits for ever by default: every pool gets a connect timeout, a server-side statement timeout and
 * a client-side query timeout, so a hung database turns into an error the cycle can report as `unknown`.
 */
export function createPgPool(connectionString: string, options: PgPoolOptions): pg.Pool {
  const statementTimeoutMs = options.statementTimeoutMs ?? 15_000;
  const pool = new pg.Pool({
    connectionString,
    application_name: options.applicationName,
    max: options.max ?? 5,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + 2_000,
    // Before a new connection's first query. A platform without prefetching refuses the setting; the session then
    // keeps its default, and nothing else changes.
    onConnect: async (client) => {
      await client.query(`SET effective_io_concurrency = ${PREFETCH_PAGES}`).catch(() => {});
    },
  });
  // An idle client whose server went away emits 'error' on the pool; unhandled, it would kill the process.
  pool.on('error', () => {});
  return pool;
}

/** Error texts cross to the API, logs and metrics: strip credentials from any URL inside them. */
/**
 * SQLSTATE classes after which a write may or may not have committed: the connection broke (08), the server was
 * shut down or crashed under it (57P, 58, XX) or ran out of resources (53). Every other error the server sends back
 * means the statement, and its transaction, did not happen.
 */
const MAYBE_COMMITTED = /^(08|57P|58|XX|53)/;

/**
 * The database's refusal in words, when an error is one: the server answered with a SQLSTATE that leaves nothing
 * committed (a constraint, a missing column, a permission). Null for anything else, whose effect is in doubt.
 */
export function databaseRefusal(error: unknown): string | null {
  // Only the server's own error message carries a SQLSTATE; a socket error's code (EPIPE) is no answer at all.
  if (!(error instanceof pg.DatabaseError) || !error.code || MAYBE_COMMITTED.test(error.code)) return null;
  return `the database refused it: ${maskSecrets(error.message)} (SQLSTATE ${error.code})`;
}

export function maskSecrets(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/?#\s]*:)[^@/\s]*@/gi, '$1***@');
}

/** Quotes a (possibly schema-qualified) identifier the configuration already validated. */
export function quoteIdent(name: string): string {
  return name
    .split('.')
    .map((part) => `"${part.replace(/"/g, '""')}"`)
    .join('.');
}
