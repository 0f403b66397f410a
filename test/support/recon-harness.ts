import { pino } from 'pino';
import type { FindingKind } from '../../reconcilers/registry.ts';
import { loadConfig } from '../../server/config.ts';
import { type Recon, startRecon } from '../../server/recon.ts';
import { readApi } from './actions.ts';
import type { IsolatedEnv } from './isolated-env.ts';
import { ADMIN } from './users.ts';

/**
 * Recon against a test's private databases, without a socket (tests call `recon.app.request`). It creates ADMIN at
 * start, so `readApi` and `getJson` can read as that user.
 */
export async function startTestRecon(
  env: IsolatedEnv,
  overrides: Record<string, string> = {},
  options: Partial<Pick<Parameters<typeof startRecon>[1], 'watchedDeadLetters' | 'log'>> = {},
): Promise<Recon> {
  const config = loadConfig({
    RECON_DATABASE_URL: env.reconDatabaseUrl,
    ORDERS_DATABASE_URL: env.ordersDatabaseUrl,
    DISPATCH_DATABASE_URL: env.dispatchDatabaseUrl,
    RABBITMQ_URL: env.rabbitmqUrl,
    RECON_POLL_INTERVAL_SECONDS: '1',
    RECON_GRACE_SECONDS: '3',
    RECON_OVERLAP_SECONDS: '10',
    RECON_ADMIN_USER: ADMIN.name,
    RECON_ADMIN_PASSWORD: ADMIN.password,
    ...overrides,
  });
  return startRecon(config, { log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'warn' }), listen: false, ...options });
}

/** Open finding keys per kind, read through the HTTP API like any client would. */
export async function openKeys(recon: Recon, kind: FindingKind): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ kind, state: 'open', limit: '500', ...(cursor ? { cursor } : {}) });
    const response = await readApi(recon, `/api/findings?${query}`);
    if (response.status !== 200) throw new Error(`GET /api/findings → ${response.status} ${await response.text()}`);
    const page = (await response.json()) as { items: Array<{ key: string }>; nextCursor: string | null };
    keys.push(...page.items.map((f) => f.key));
    cursor = page.nextCursor;
  } while (cursor);
  return keys.sort();
}
