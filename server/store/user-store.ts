import type { Pool, PoolClient } from 'pg';
import { ROLES, type Role } from '../auth/user-rules.ts';
import { inTransaction } from './in-transaction.ts';

export interface StoredUser {
  name: string;
  role: Role;
  passwordHash: string;
}

export interface UserChange {
  name: string;
  role: Role;
  /** The new password's hash; undefined keeps the current password (required for a new user). */
  passwordHash?: string;
}

/** Who makes a change, as the audit log names them. */
export interface ChangeAuthor {
  /** A user's name, or `cli:add-user` / `env:RECON_ADMIN_USER` (a `:` is never in a user name). */
  actor: string;
  role: string;
  /** The author's own session (token hash): kept when they change their own password, as OWASP asks. */
  keepSessionHash?: string;
}

export type UserEvent = 'user-created' | 'user-promoted' | 'user-demoted' | 'user-password-changed' | 'user-deleted';

export interface UserChangeResult {
  events: UserEvent[];
  oldRole: Role | null;
  /** Sessions of the user that a new password ended. */
  sessionsEnded: number;
}

export type UserDeleteResult =
  | { status: 'deleted'; oldRole: Role; sessionsEnded: number }
  | { status: 'not-found' }
  | { status: 'last-admin' };

export interface UserStore {
  /**
   * Creates the user, or sets its role and (when given) its password. In one transaction: the change, its rows in the
   * audit log, and on a new password the end of the user's sessions, so none of them happens without the others.
   */
  saveUser(change: UserChange, by: ChangeAuthor): Promise<UserChangeResult>;
  /**
   * Deletes the user and, with the row, their open sessions; audited in the same transaction. Refused (nothing
   * changes) when they are the last admin: Recon would be left with nobody to manage it.
   */
  deleteUser(name: string, by: ChangeAuthor): Promise<UserDeleteResult>;
  getUser(name: string): Promise<StoredUser | undefined>;
  /** Every user, by name, without their password hashes. */
  listUsers(): Promise<Array<{ name: string; role: Role }>>;
}

const GET = 'SELECT name, role, password_hash FROM users WHERE name = $1';
const IS_FEDERATED = 'SELECT oidc_subject IS NOT NULL AS is_federated FROM users WHERE name = $1';

/** A password for a user who signs in through the OpenID provider: it would make a second way into that account. */
export class FederatedUserError extends Error {
  constructor(readonly userName: string) {
    super(
      `${userName} signs in through the OpenID provider: Recon gives that user no password (choose another name for a local user)`,
    );
  }
}
// Two admins saving the same user take turns, so each sees the role the other left and audits the right change.
const LOCK_USER = "SELECT pg_advisory_xact_lock(hashtextextended('recon.user:' || $1, 0))";
const INSERT = 'INSERT INTO users (name, password_hash, role) VALUES ($1, $2, $3)';
const UPDATE = `UPDATE users SET role = $2, password_hash = coalesce($3, password_hash), updated_at = now()
  WHERE name = $1`;
const END_SESSIONS = 'DELETE FROM sessions WHERE user_name = $1 AND token_hash IS DISTINCT FROM $2';
// Every admin row is locked, so two admins deleting each other at once cannot both pass the last-admin check.
const ADMINS = "SELECT name FROM users WHERE role = 'admin' FOR UPDATE";
const COUNT_SESSIONS = 'SELECT count(*)::int AS n FROM sessions WHERE user_name = $1';
const DELETE = 'DELETE FROM users WHERE name = $1';
const AUDIT = `INSERT INTO audit_log (event, actor, role, action, target, outcome, old_role, new_role, detail)
  VALUES ($1, $2, $3, 'user', 'user:' || $4, 'done', $5, $6, $7)`;

export function createUserStore(pool: Pool): UserStore {
  return {
    saveUser: (change, by) => inTransaction(pool, (client) => save(client, change, by)),
    deleteUser: (name, by) => inTransaction(pool, (client) => remove(client, name, by)),
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

async function save(
  client: PoolClient,
  { name, role, passwordHash }: UserChange,
  by: ChangeAuthor,
): Promise<UserChangeResult> {
  await client.query(LOCK_USER, [name]);
  const oldRole = (await client.query<{ role: Role }>(GET, [name])).rows[0]?.role ?? null;
  const audit = (event: UserEvent, detail: string | null) =>
    client.query(AUDIT, [event, by.actor, by.role, name, oldRole, role, detail]);
  const result: UserChangeResult = { events: [], oldRole, sessionsEnded: 0 };
  if (oldRole === null) {
    if (passwordHash === undefined) throw new Error(`a new user (${name}) needs a password`);
    await client.query(INSERT, [name, passwordHash, role]);
    await audit('user-created', null);
    return { ...result, events: ['user-created'] };
  }
  // Someone who chose this name at the provider must not gain a password (and an admin's role with it) this way.
  if (passwordHash !== undefined && (await client.query(IS_FEDERATED, [name])).rows[0]?.is_federated)
    throw new FederatedUserError(name);
  await client.query(UPDATE, [name, role, passwordHash ?? null]);
  if (role !== oldRole) {
    const event = ROLES.indexOf(role) > ROLES.indexOf(oldRole) ? 'user-promoted' : 'user-demoted';
    await audit(event, null);
    result.events.push(event);
  }
  if (passwordHash !== undefined) {
    // Only the author's own session survives, and only when they changed their own password.
    const kept = by.actor === name ? (by.keepSessionHash ?? null) : null;
    result.sessionsEnded = (await client.query(END_SESSIONS, [name, kept])).rowCount ?? 0;
    await audit('user-password-changed', `${result.sessionsEnded} open session(s) ended`);
    result.events.push('user-password-changed');
  }
  return result;
}

async function remove(client: PoolClient, name: string, by: ChangeAuthor): Promise<UserDeleteResult> {
  await client.query(LOCK_USER, [name]);
  const oldRole = (await client.query<{ role: Role }>(GET, [name])).rows[0]?.role;
  if (!oldRole) return { status: 'not-found' };
  if (oldRole === 'admin') {
    const admins = (await client.query<{ name: string }>(ADMINS)).rows;
    if (admins.every((admin) => admin.name === name)) return { status: 'last-admin' };
  }
  const sessionsEnded = (await client.query<{ n: number }>(COUNT_SESSIONS, [name])).rows[0]?.n ?? 0;
  await client.query(DELETE, [name]);
  await client.query(AUDIT, [
    'user-deleted',
    by.actor,
    by.role,
    name,
    oldRole,
    null,
    `${sessionsEnded} open session(s) ended`,
  ]);
  return { status: 'deleted', oldRole, sessionsEnded };
}
