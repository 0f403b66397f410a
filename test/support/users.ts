import pg from 'pg';
import { saveUserWithPassword } from '../../server/auth/save-user.ts';
import type { Role } from '../../server/auth/user-rules.ts';
import { createUserStore, type UserStore } from '../../server/store/user-store.ts';
import type { IsolatedEnv } from './isolated-env.ts';

/** An HTTP Basic `Authorization` header value. */
export const basicAuth = (name: string, password: string) =>
  `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`;

/** The admin a Recon started with RECON_ADMIN_USER/PASSWORD creates (spawnRecon and startTestRecon pass these). */
export const ADMIN = { name: 'root-admin', password: 'admin-password-for-tests' };
export const ADMIN_AUTH = basicAuth(ADMIN.name, ADMIN.password);

/** Creates (or updates) a user in `users` and returns its HTTP Basic Authorization header. */
export async function addUserTo(users: UserStore, name: string, role: Role): Promise<string> {
  const password = `pw-${name}-correct-horse`;
  await saveUserWithPassword(users, { name, role, password }, { actor: 'test:setup', role: 'system' });
  return basicAuth(name, password);
}

/** Creates (or updates) a user in the test's Recon database and returns its HTTP Basic Authorization header. */
export async function addUser(env: IsolatedEnv, name: string, role: Role): Promise<string> {
  const pool = new pg.Pool({ connectionString: env.reconDatabaseUrl, max: 1 });
  try {
    return await addUserTo(createUserStore(pool), name, role);
  } finally {
    await pool.end();
  }
}

/** A JSON POST as a same-origin browser or a script would send it. */
export function postJson(authorization: string, body: unknown, headers: Record<string, string> = {}): RequestInit {
  return {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}
