import pg from 'pg';
import type { Logger } from 'pino';

const DEFAULT_RETRY_MS = 5_000;
const CONNECT_TIMEOUT_MS = 10_000;
/** A leader's liveness query that takes longer than this means a half-open connection: step down. */
const QUERY_TIMEOUT_MS = 10_000;

export interface LeaderElectionOptions {
  /** Recon's own database, directly: a pooler in transaction mode would hand the session lock to someone else. */
  connectionString: string;
  /** The advisory lock key every replica of one deployment shares. */
  lockKey: number;
  /** Called on every change only, never twice with the same value. Stop writing at once on `false`. */
  onChange(isLeader: boolean): void;
  /** How often a follower tries for the lock and a leader checks its connection. */
  retryMs?: number;
  log?: Pick<Logger, 'info' | 'warn'>;
}

export interface LeaderElection {
  /** Resolves after the first attempt (leader or not); never rejects for an unreachable database, it retries. */
  start(): Promise<void>;
  /** Steps down (`onChange(false)` first), releases the lock and closes the connection. */
  stop(): Promise<void>;
  isLeader(): boolean;
}

/**
 * One replica leads while it holds a session advisory lock on a dedicated connection. The lock lives exactly as
 * long as that session, so a leader whose connection errors or ends has lost it already: it reports so at once,
 * reconnects and competes again. A leader also queries every `retryMs`, so a silently dead connection is noticed
 * within about retryMs + QUERY_TIMEOUT_MS.
 */
export function createLeaderElection(options: LeaderElectionOptions): LeaderElection {
  const { connectionString, lockKey, onChange, retryMs = DEFAULT_RETRY_MS, log } = options;
  if (!Number.isSafeInteger(lockKey)) throw new Error(`leader election: lockKey must be an integer, got ${lockKey}`);
  let client: pg.Client | undefined;
  let isLeader = false;
  let isStopped = true;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  const setLeader = (value: boolean) => {
    if (value === isLeader) return;
    isLeader = value;
    log?.info({ lockKey, isLeader }, value ? 'leadership acquired' : 'leadership lost');
    // Often called from a connection's event handler, where a throw would crash the process.
    try {
      onChange(value);
    } catch (err) {
      log?.warn({ err, lockKey }, 'leader election onChange threw');
    }
  };

  const lose = (lost: pg.Client, err?: unknown) => {
    if (lost !== client) return;
    client = undefined;
    log?.warn({ err, lockKey }, 'leader election connection lost');
    setLeader(false);
    lost.end().catch(() => {});
    wake?.();
  };

  const connect = async () => {
    const c = new pg.Client({
      connectionString,
      application_name: 'recon-leader-election',
      keepAlive: true,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      query_timeout: QUERY_TIMEOUT_MS,
    });
    // Registered before connect: an 'error' without a listener would crash the process.
    c.on('error', (err) => lose(c, err));
    c.on('end', () => lose(c));
    try {
      await c.connect();
    } catch (err) {
      c.end().catch(() => {});
      throw err;
    }
    client = c;
    return c;
  };

  const attempt = async () => {
    try {
      const c = client ?? (await connect());
      if (isLeader) {
        await c.query('SELECT 1');
        return;
      }
      const { rows } = await c.query<{ acquired: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS acquired', [
        lockKey,
      ]);
      if (rows[0]?.acquired && c === client && !isStopped) setLeader(true);
    } catch (err) {
      if (client) lose(client, err);
      else log?.warn({ err, lockKey }, 'leader election cannot reach the database; retrying');
    }
  };

  // Woken early when the connection drops, so a lost leader competes again without waiting a full retryMs.
  const sleep = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, retryMs);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  return {
    async start() {
      if (!isStopped) return;
      isStopped = false;
      const first = attempt();
      loop = first.then(async () => {
        while (!isStopped) {
          await sleep();
          if (!isStopped) await attempt();
        }
      });
      await first;
    },
    async stop() {
      isStopped = true;
      wake?.();
      await loop;
      const c = client;
      client = undefined;
      // Step down before the lock is free, so two replicas never both believe they lead.
      const wasLeader = isLeader;
      setLeader(false);
      if (!c) return;
      if (wasLeader) await c.query('SELECT pg_advisory_unlock($1::bigint)', [lockKey]).catch(() => {});
      await c.end().catch(() => {});
    },
    isLeader: () => isLeader,
  };
}
