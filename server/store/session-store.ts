import { createHash, randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import type { Role } from '../auth/user-rules.ts';

export interface Session {
  user: { name: string; role: Role };
  csrfToken: string;
  expiresAt: Date;
}

export interface SessionStore {
  /** Starts a session for `userName` and returns the cookie token, which is stored only as its hash. */
  create(userName: string, ttlMs: number): Promise<{ token: string; session: Session }>;
  /** The live session of a cookie token, with the user's role as it is now (a demotion applies at once). */
  find(token: string): Promise<Session | undefined>;
  end(token: string): Promise<void>;
  /** Removes expired sessions; returns how many. */
  purgeExpired(): Promise<number>;
}

/** How a cookie token is stored: a copy of the table cannot be replayed as a session. */
export const sessionTokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
const randomToken = () => randomBytes(32).toString('base64url');

const INSERT = `INSERT INTO sessions (token_hash, user_name, csrf_token, expires_at)
  SELECT $1, u.name, $2, now() + $3 * interval '1 millisecond' FROM users u WHERE u.name = $4
  RETURNING expires_at, (SELECT role FROM users WHERE name = $4) AS role`;
const FIND = `SELECT s.csrf_token, s.expires_at, u.name, u.role FROM sessions s JOIN users u ON u.name = s.user_name
  WHERE s.token_hash = $1 AND s.expires_at > now()`;

export function createSessionStore(pool: Pool): SessionStore {
  return {
    async create(userName, ttlMs) {
      const token = randomToken();
      const csrfToken = randomToken();
      const { rows } = await pool.query<{ expires_at: Date; role: Role }>(INSERT, [
        sessionTokenHash(token),
        csrfToken,
        ttlMs,
        userName,
      ]);
      const row = rows[0];
      if (!row) throw new Error(`no user ${userName}`);
      return { token, session: { user: { name: userName, role: row.role }, csrfToken, expiresAt: row.expires_at } };
    },
    async find(token) {
      const { rows } = await pool.query<{ csrf_token: string; expires_at: Date; name: string; role: Role }>(FIND, [
        sessionTokenHash(token),
      ]);
      const row = rows[0];
      return row && { user: { name: row.name, role: row.role }, csrfToken: row.csrf_token, expiresAt: row.expires_at };
    },
    async end(token) {
      await pool.query('DELETE FROM sessions WHERE token_hash = $1', [sessionTokenHash(token)]);
    },
    async purgeExpired() {
      return (await pool.query('DELETE FROM sessions WHERE expires_at <= now()')).rowCount ?? 0;
    },
  };
}
