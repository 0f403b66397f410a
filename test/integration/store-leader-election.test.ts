import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLeaderElection, type LeaderElection } from '../../server/store/leader-election.ts';
import { createReconDb, type ReconDb } from '../support/recon-db.ts';
import { sleep, waitFor } from '../support/wait-for.ts';

const RETRY_MS = 200;
/** "Within a few retries": generous enough for a loaded CI machine, far below the 5 s production default. */
const TAKEOVER_TIMEOUT_MS = 10 * RETRY_MS;

interface Replica {
  election: LeaderElection;
  /** Every onChange value, in order. */
  changes: boolean[];
  /** Messages the election logged at warn level. */
  warnings: string[];
}

describe('leader election on a PostgreSQL advisory lock', () => {
  let db: ReconDb;
  let replicas: Replica[] = [];
  let nextKey = 1_000;

  beforeAll(async () => {
    db = await createReconDb('leader', { migrate: false });
  });
  afterEach(async () => {
    await Promise.all(replicas.map((r) => r.election.stop()));
    replicas = [];
  });
  afterAll(async () => {
    await db?.destroy();
  });

  const startReplica = async (lockKey: number, connectionString = db.url): Promise<Replica> => {
    const changes: boolean[] = [];
    const warnings: string[] = [];
    const election = createLeaderElection({
      connectionString,
      lockKey,
      retryMs: RETRY_MS,
      onChange: (isLeader) => changes.push(isLeader),
      log: { info: () => {}, warn: (_obj: unknown, message?: string) => warnings.push(message ?? '') },
    });
    const replica = { election, changes, warnings };
    replicas.push(replica);
    await election.start();
    return replica;
  };
  const leaders = () => replicas.filter((r) => r.election.isLeader());

  it('elects exactly one of two replicas on the same lock', async () => {
    const key = nextKey++;
    const first = await startReplica(key);
    const second = await startReplica(key);
    await sleep(3 * RETRY_MS);

    expect(first.changes).toEqual([true]);
    expect(second.changes).toEqual([]);
    expect(leaders()).toEqual([first]);
  });

  it('does not compete with an election on another lock key', async () => {
    await startReplica(nextKey++);
    await startReplica(nextKey++);
    expect(leaders()).toHaveLength(2);
  });

  it('hands leadership to the other replica within a few retries when the leader stops', async () => {
    const key = nextKey++;
    const first = await startReplica(key);
    const second = await startReplica(key);
    await first.election.stop();

    expect(first.changes).toEqual([true, false]);
    await waitFor('the second replica to lead', async () => second.election.isLeader(), {
      timeoutMs: TAKEOVER_TIMEOUT_MS,
    });
    expect(leaders()).toEqual([second]);
  });

  it('steps down at once when its connection is killed, and one replica leads again', async () => {
    const key = nextKey++;
    const first = await startReplica(key);
    await startReplica(key);
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    try {
      // The session holding the advisory lock: a bigint key below 2^32 is stored as objid.
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_locks
          WHERE locktype = 'advisory' AND objid = $1 AND granted AND database = (SELECT oid FROM pg_database WHERE datname = $2)`,
        [key, db.name],
      );
    } finally {
      await admin.end();
    }

    await waitFor('the killed leader to step down', async () => first.changes.includes(false), { timeoutMs: 2_000 });
    expect(first.changes.slice(0, 2)).toEqual([true, false]);
    await waitFor('a replica to lead again', async () => leaders().length === 1, { timeoutMs: TAKEOVER_TIMEOUT_MS });
    await sleep(2 * RETRY_MS);
    expect(leaders()).toHaveLength(1);
  });

  it('stays a follower and keeps retrying while the database is unreachable', async () => {
    const unreachable = await startReplica(nextKey++, 'postgres://postgres@127.0.0.1:1/nowhere');
    await waitFor('a second attempt', async () => unreachable.warnings.length >= 2, { timeoutMs: TAKEOVER_TIMEOUT_MS });
    expect(unreachable.election.isLeader()).toBe(false);
    expect(unreachable.changes).toEqual([]);
  });
});
