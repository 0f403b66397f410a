import type { Pool } from 'pg';
import type { Role } from '../auth/user-rules.ts';

export interface StoredUser {
  name: string;
  role: Role;
  passwordHash: string;
}

export interface UserStore {
  /** Creates the user, or sets the password and role of an existing one. */
  upsertUser(user: StoredUser): Promise<void>;
  getUser(name: string): Promise<StoredUser | undefined>;
  /** Every user, by name, without their password hashes. */
  listUsers(): Promise<Array<{ name: string; role: Role }>>;
}

const UPSERT = `INSERT INTO users (name, password_hash, role) VALUES ($1, $2, $3)
  ON CONFLICT (name) DO UPDATE SET password_hash = EXCLUDED.password_hash, role = EXCLUDED.role, updated_at = now()`;
const GET = 'SELECT name, role, password_hash FROM users WHERE name = $1';

export function createUserStore(pool: Pool): UserStore {
  return {
    async upsertUser({ name, role, passwordHash }) {
      await pool.query(UPSERT, [name, passwordHash, role]);
    },
    async getUser(name) {
      const { rows } = await pool.query<{ name: string; role: Role; password_hash: string }>(GET, [name]);
      const row = rows[0];
      return row && { name: row.name, role: row.role, passwordHash: row.password_hash };
    },
    async listUsers() {
      return (await pool.query<{ name: string; role: Role }>('SELECT name, role FROM users ORDER BY name')).rows;
    },
  };
}
