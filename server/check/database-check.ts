import type pg from 'pg';
import { createPgPool, maskSecrets } from '../adapters/postgres.ts';
import { formatPath } from '../watched-system/issues.ts';
import type { WatchedSystem } from '../watched-system/model.ts';
import type { CheckItem } from './report.ts';

// Each configured database, connected to once: who answers, as which user, and when one does not, why and how to
// make it answer. The tables are checked over the same pools (table-check.ts).

export const HOW_TO_START =
  'on a development machine, npm run services (bash scripts/services.sh) starts PostgreSQL and RabbitMQ with the management plugin';

export interface ConnectedDatabases {
  /** The pools of the databases that answered, by name. */
  pools: Map<string, pg.Pool>;
  items: CheckItem[];
  close(): Promise<void>;
}

export async function connectDatabases(system: Pick<WatchedSystem, 'databases'>): Promise<ConnectedDatabases> {
  const pools = new Map<string, pg.Pool>();
  const opened: pg.Pool[] = [];
  const items = await Promise.all(
    Object.entries(system.databases).map(async ([name, { url, timeZone }]): Promise<CheckItem> => {
      const configPaths = [formatPath(['databases', name, 'url'])];
      const where = maskSecrets(url);
      const pool = createPgPool(url, { applicationName: 'recon-check', max: 2, statementTimeoutMs: 10_000 });
      opened.push(pool);
      const base = { section: 'databases' as const, kind: 'database' as const, name, configPaths, database: name };
      try {
        const { rows } = await pool.query<{ version: string; user: string }>(
          `SELECT current_setting('server_version') AS version, current_user AS user`,
        );
        pools.set(name, pool);
        const zone = `\`timestamp without time zone\` read as ${timeZone} (${formatPath(['databases', name, 'timeZone'])})`;
        return {
          ...base,
          status: 'ok',
          detail: `${where}: PostgreSQL ${rows[0]?.version}, user ${rows[0]?.user}; ${zone}`,
        };
      } catch (error) {
        return { ...base, status: 'error', detail: `${where}: ${whyNot(error as Error & { code?: string })}` };
      }
    }),
  );
  return { pools, items, close: async () => void (await Promise.all(opened.map((pool) => pool.end()))) };
}

/** What went wrong connecting, and what to do about it. */
function whyNot(error: Error & { code?: string }): string {
  const said = error.message || error.code || String(error);
  switch (error.code) {
    case '3D000':
      return `${said}: create it, or correct the URL`;
    case '28P01':
    case '28000':
      return `${said}: check the user and password in the URL`;
    default:
      return `not reachable (${said}). Start PostgreSQL, or correct the URL; ${HOW_TO_START}`;
  }
}
