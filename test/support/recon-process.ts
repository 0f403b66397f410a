import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { IsolatedEnv } from './isolated-env.ts';
import { ADMIN } from './users.ts';
import { waitFor } from './wait-for.ts';

export interface ReconProcess {
  url: string;
  child: ChildProcess;
  /** Resolves with the exit signal or code once the process is gone. */
  exited: Promise<string>;
  stop(): Promise<void>;
}

/** Recon as its own process (`tsx server/main.ts`), so a test can watch it die the way production would. */
export async function spawnRecon(env: IsolatedEnv, extraEnv: Record<string, string> = {}): Promise<ReconProcess> {
  // A test that must know the URL before Recon starts (an OpenID provider's redirect URL) picks the PORT itself.
  const port = extraEnv.PORT ? Number(extraEnv.PORT) : await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      RECON_DATABASE_URL: env.reconDatabaseUrl,
      ORDERS_DATABASE_URL: env.ordersDatabaseUrl,
      DISPATCH_DATABASE_URL: env.dispatchDatabaseUrl,
      RABBITMQ_URL: env.rabbitmqUrl,
      RECON_POLL_INTERVAL_SECONDS: '1',
      RECON_GRACE_SECONDS: '2',
      RECON_SWEEP_INTERVAL_SECONDS: '2',
      RECON_ADMIN_USER: ADMIN.name,
      RECON_ADMIN_PASSWORD: ADMIN.password,
      RECON_LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      ...extraEnv,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = once(child, 'exit').then(([code, signal]) => String(signal ?? code));
  const url = `http://127.0.0.1:${port}`;
  await waitFor('Recon to answer /healthz', async () => (await fetch(`${url}/healthz`)).ok, { timeoutMs: 30_000 });
  return {
    url,
    child,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}
