import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import pg from 'pg';
import { ADMIN } from '../../test/support/users.ts';
import { waitFor } from '../../test/support/wait-for.ts';

export interface Replica {
  name: string;
  url: string;
  /** The running process, or undefined between a kill and its restart. */
  child(): ChildProcess | undefined;
  isAlive(): boolean;
  /** Resident memory in bytes read from /proc, or undefined when it is not running. */
  rssBytes(): number | undefined;
  kill9(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * One Recon replica as its own process (`node --import tsx server/main.ts`, as test/support/recon-process.ts does),
 * on a fixed port so it comes back at the same address after a kill -9. Its database URL carries an
 * application_name, so pg_locks tells which replica holds the leader lock.
 */
export async function startReplica(name: string, env: Record<string, string>, logPath: string): Promise<Replica> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = createWriteStream(logPath, { flags: 'a' });
  let child: ChildProcess | undefined;
  /** False while it boots: a replica coming back is not yet expected to answer. */
  let isServing = false;

  const start = async () => {
    const reconDatabaseUrl = new URL(env.RECON_DATABASE_URL!);
    reconDatabaseUrl.searchParams.set('application_name', name);
    child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, ...env, PORT: String(port), RECON_DATABASE_URL: reconDatabaseUrl.toString() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    await waitFor(`${name} to answer /healthz`, async () => (await fetch(`${url}/healthz`)).ok, { timeoutMs: 60_000 });
    isServing = true;
  };
  const isAlive = () => isServing && !!child && child.exitCode === null && child.signalCode === null;
  const end = async (signal: NodeJS.Signals) => {
    const current = child;
    if (!current || !isAlive()) return;
    isServing = false;
    const exited = once(current, 'exit');
    current.kill(signal);
    await exited;
    child = undefined;
  };
  await start();
  return {
    name,
    url,
    child: () => child,
    isAlive,
    rssBytes() {
      if (!isAlive() || !child?.pid) return undefined;
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return match ? Number(match[1]) * 1024 : undefined;
    },
    kill9: () => end('SIGKILL'),
    restart: start,
    async stop() {
      await end('SIGTERM');
      log.end();
    },
  };
}

/** The replica holding the leader's advisory lock in Recon's database, by its application_name. */
export async function currentLeader(reconDatabaseUrl: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: reconDatabaseUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT a.application_name AS name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.locktype = 'advisory' AND l.granted AND a.datname = current_database()`,
    );
    return rows[0]?.name;
  } finally {
    await client.end();
  }
}

export const adminAuth = `Basic ${Buffer.from(`${ADMIN.name}:${ADMIN.password}`).toString('base64')}`;
export const ADMIN_ENV = { RECON_ADMIN_USER: ADMIN.name, RECON_ADMIN_PASSWORD: ADMIN.password };

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}
