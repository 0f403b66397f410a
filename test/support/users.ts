import pg from 'pg';
import { hashPassword } from '../../server/auth/passwords.ts';
import { createUserStore, type Role } from '../../server/store/user-store.ts';
import type { IsolatedEnv } from './isolated-env.ts';

/** Creates (or updates) a user in the test's Recon database and returns its HTTP Basic Authorization header. */
export async function addUser(env: IsolatedEnv, name: string, role: Role): Promise<string> {
  const password = `pw-${name}-correct-horse`;
  const pool = new pg.Pool({ connectionString: env.reconDatabaseUrl, max: 1 });
  try {
    await createUserStore(pool).upsertUser({ name, role, passwordHash: await hashPassword(password) });
  } finally {
    await pool.end();
  }
  return `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`;
}

/** A JSON POST as a same-origin browser or a script would send it. */
export function postJson(authorization: string, body: unknown, headers: Record<string, string> = {}): RequestInit {
  return {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}
