import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../server/auth/passwords.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';

// `npm run add-user` as an operator runs it: a real process against a real (fresh, unmigrated) Recon database.

const run = promisify(execFile);
const PASSWORD = 'add-user-command-password';

let env: IsolatedEnv;
let pool: pg.Pool;

beforeAll(async () => {
  env = await createIsolatedEnv('add_user');
  pool = new pg.Pool({ connectionString: env.reconDatabaseUrl, max: 1 });
});

afterAll(async () => {
  await pool?.end();
  await env?.destroy();
});

const addUser = (args: string[], password: string | undefined) =>
  run('npx', ['tsx', 'server/add-user.ts', ...args], {
    env: {
      ...process.env,
      RECON_DATABASE_URL: env.reconDatabaseUrl,
      ...(password === undefined ? {} : { RECON_NEW_USER_PASSWORD: password }),
    },
  }).then(
    ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
    (err: { code: number; stdout: string; stderr: string }) => err,
  );

const storedUser = async (name: string) =>
  (
    await pool.query<{ role: string; password_hash: string }>('SELECT role, password_hash FROM users WHERE name = $1', [
      name,
    ])
  ).rows[0];

describe('npm run add-user', () => {
  it('creates a user with a scrypt hash of the password, then updates its role', async () => {
    const created = await addUser(['alice', 'operator'], PASSWORD);
    expect(created).toMatchObject({ code: 0, stdout: 'created user alice (operator)\n' });
    const alice = (await storedUser('alice'))!;
    expect(alice.role).toBe('operator');
    expect(alice.password_hash).toMatch(/^scrypt\$32768\$8\$3\$/);
    expect(await verifyPassword(PASSWORD, alice.password_hash)).toBe(true);

    const updated = await addUser(['alice', 'viewer'], PASSWORD);
    expect(updated).toMatchObject({ code: 0, stdout: 'updated user alice (viewer)\n' });
    expect((await storedUser('alice'))!.role).toBe('viewer');
    // Both changes are in the audit log, by the command, without the password.
    const { rows } = await pool.query(
      "SELECT event, actor, role, old_role, new_role FROM audit_log WHERE target = 'user:alice' ORDER BY id",
    );
    expect(rows).toEqual([
      { event: 'user-created', actor: 'cli:add-user', role: 'system', old_role: null, new_role: 'operator' },
      { event: 'user-demoted', actor: 'cli:add-user', role: 'system', old_role: 'operator', new_role: 'viewer' },
    ]);
  });

  it('refuses bad input with a clear message and writes nothing', async () => {
    const cases: Array<[string[], string | undefined, RegExp]> = [
      [['bob', 'superuser'], PASSWORD, /role "superuser": one of viewer, operator, admin/],
      [['bob<script>', 'viewer'], PASSWORD, /letters, digits and \. _ @ - only/],
      [['bob', 'viewer'], 'short', /at least 12 characters/],
      [['bob'], PASSWORD, /^usage: npm run add-user/m],
    ];
    for (const [args, password, message] of cases) {
      const result = await addUser(args, password);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    expect(await storedUser('bob')).toBeUndefined();
  });
});
