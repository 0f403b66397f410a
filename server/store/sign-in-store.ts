import type { Pool, PoolClient } from 'pg';
import { NO_USER_HASH } from '../auth/passwords.ts';
import type { Role } from '../auth/user-rules.ts';
import { inTransaction } from './in-transaction.ts';

export interface SignIn {
  name: string;
  role: Role;
  /** How, for the audit log: `password`, or `openid <issuer>`. */
  how: string;
}

export type FederatedSignIn =
  | { status: 'ok'; name: string; oldRole: Role | null }
  /** The name belongs to a local user or to another identity: signing in as it would take that user over. */
  | { status: 'name-taken' };

export interface SignInStore {
  /**
   * The user an OpenID identity (`subject`: `<issuer> <sub>`) signs in as: created at the first sign-in, given the
   * role its groups say now at every later one (its open sessions see it at once), and the sign-in audited, in one
   * transaction. The name is fixed at the first sign-in: the identity, not the name, is what is matched later.
   */
  signInFederated(signIn: SignIn & { subject: string }): Promise<FederatedSignIn>;
  /**
   * An identity whose groups give no role any more: its user's open sessions end (the user row stays, for the audit
   * log's names, and a later sign-in with a group sets its role again). Returns how many ended.
   */
  endFederatedSessions(subject: string): Promise<number>;
  /** Audits a sign-in with a password. */
  auditSignIn(signIn: SignIn): Promise<void>;
}

// The same lock as user-store.ts: a sign-in and an admin's change of the same user take turns.
const LOCK = "SELECT pg_advisory_xact_lock(hashtextextended('recon.user:' || $1, 0))";
const BY_SUBJECT = 'SELECT name, role FROM users WHERE oidc_subject = $1';
// No password matches NO_USER_HASH, and checking one costs the same scrypt as a real user's: a password guesser
// cannot tell such a user from one that does not exist.
const INSERT = `INSERT INTO users (name, password_hash, role, oidc_subject) VALUES ($1, $2, $3, $4)
  ON CONFLICT (name) DO NOTHING`;
const SET_ROLE = 'UPDATE users SET role = $2, updated_at = now() WHERE name = $1 AND role IS DISTINCT FROM $2';
const END_SESSIONS = 'DELETE FROM sessions WHERE user_name = (SELECT name FROM users WHERE oidc_subject = $1)';
const AUDIT = `INSERT INTO audit_log (event, actor, role, action, target, outcome, old_role, new_role, detail)
  VALUES ('user-signed-in', $1, $2, 'user', 'user:' || $1, 'done', $3, $2, $4)`;

export function createSignInStore(pool: Pool): SignInStore {
  return {
    signInFederated: (signIn) => inTransaction(pool, (client) => signInFederated(client, signIn)),
    async endFederatedSessions(subject) {
      return (await pool.query(END_SESSIONS, [subject])).rowCount ?? 0;
    },
    async auditSignIn({ name, role, how }) {
      await pool.query(AUDIT, [name, role, role, how]);
    },
  };
}

async function signInFederated(
  client: PoolClient,
  { name, role, how, subject }: SignIn & { subject: string },
): Promise<FederatedSignIn> {
  await client.query(LOCK, [subject]);
  const known = (await client.query<{ name: string; role: Role }>(BY_SUBJECT, [subject])).rows[0];
  if (known) {
    await client.query(LOCK, [known.name]);
    await client.query(SET_ROLE, [known.name, role]);
    await client.query(AUDIT, [known.name, role, known.role, how]);
    return { status: 'ok', name: known.name, oldRole: known.role };
  }
  await client.query(LOCK, [name]);
  const inserted = await client.query(INSERT, [name, NO_USER_HASH, role, subject]);
  if (inserted.rowCount !== 1) return { status: 'name-taken' };
  await client.query(AUDIT, [name, role, null, how]);
  return { status: 'ok', name, oldRole: null };
}
