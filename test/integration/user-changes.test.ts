import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recon } from '../../server/recon.ts';
import { createUserStore } from '../../server/store/user-store.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { startTestRecon } from '../support/recon-harness.ts';
import { ADMIN, ADMIN_AUTH, basicAuth } from '../support/users.ts';

// Changing a user through POST /api/users against a real Recon and its database: a new password ends the user's
// open sessions (but the one that made the change, per OWASP), a demotion applies to open sessions at once, and
// every change is a row of the append-only audit log that GET /api/audit lists, never with a password in it.

let env: IsolatedEnv;
let recon: Recon;
let pool: pg.Pool;

beforeAll(async () => {
  env = await createIsolatedEnv('user_changes');
  recon = await startTestRecon(env);
  pool = new pg.Pool({ connectionString: env.reconDatabaseUrl, max: 2 });
});
afterAll(async () => {
  await pool?.end();
  await recon?.stop();
  await env?.destroy();
});

const JSON_TYPE = { 'content-type': 'application/json' };

async function saveUser(user: { name: string; role: string; password: string }, headers: Record<string, string>) {
  const response = await recon.app.request('/api/users', {
    method: 'POST',
    headers: { ...JSON_TYPE, ...headers },
    body: JSON.stringify(user),
  });
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return response;
}
const asAdmin = (user: { name: string; role: string; password: string }) =>
  saveUser(user, { authorization: ADMIN_AUTH });

async function signIn(name: string, password: string) {
  const response = await recon.app.request('/api/session', {
    method: 'POST',
    headers: JSON_TYPE,
    body: JSON.stringify({ name, password }),
  });
  expect(response.status).toBe(200);
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie: (response.headers.get('set-cookie') ?? '').split(';')[0]!, csrfToken };
}
const whoIs = async (cookie: string) => {
  const response = await recon.app.request('/api/session', { headers: { cookie } });
  return response.status === 200 ? ((await response.json()) as { user: { role: string } }).user.role : response.status;
};

describe('changing a user', () => {
  it('ends every open session of a user whose password an admin changed, and the new one signs in', async () => {
    await asAdmin({ name: 'paula', role: 'operator', password: 'paula-first-password' });
    const first = await signIn('paula', 'paula-first-password');
    const second = await signIn('paula', 'paula-first-password');
    await asAdmin({ name: 'paula', role: 'operator', password: 'paula-second-password' });
    expect([await whoIs(first.cookie), await whoIs(second.cookie)]).toEqual([401, 401]);
    expect(await whoIs((await signIn('paula', 'paula-second-password')).cookie)).toBe('operator');
  });

  it('keeps the session of an admin who changed their own password, and ends their other sessions', async () => {
    await asAdmin({ name: 'adele', role: 'admin', password: 'adele-first-password' });
    const mine = await signIn('adele', 'adele-first-password');
    const elsewhere = await signIn('adele', 'adele-first-password');
    await saveUser(
      { name: 'adele', role: 'admin', password: 'adele-second-password' },
      { cookie: mine.cookie, 'x-csrf-token': mine.csrfToken },
    );
    expect(await whoIs(mine.cookie)).toBe('admin');
    expect(await whoIs(elsewhere.cookie)).toBe(401);
  });

  it('demotes an open session at once and keeps it open when the password stays the same', async () => {
    await asAdmin({ name: 'dora', role: 'operator', password: 'dora-own-password' });
    const session = await signIn('dora', 'dora-own-password');
    await asAdmin({ name: 'dora', role: 'viewer', password: 'dora-own-password' });
    expect(await whoIs(session.cookie)).toBe('viewer');
    const act = await recon.app.request('/api/findings/order-without-dispatch:x/actions', {
      method: 'POST',
      headers: { ...JSON_TYPE, cookie: session.cookie, 'x-csrf-token': session.csrfToken },
      body: JSON.stringify({ action: 'redeliver', reason: 'after the demotion' }),
    });
    expect(act.status).toBe(403);
  });
});

describe('the audit of user changes', () => {
  it('lists creating, promoting, demoting and re-passwording with actor, user and roles, never a password', async () => {
    await asAdmin({ name: 'ursula', role: 'viewer', password: 'ursula-first-password' });
    await asAdmin({ name: 'ursula', role: 'admin', password: 'ursula-first-password' });
    await saveUser(
      { name: 'ursula', role: 'operator', password: 'ursula-second-password' },
      { authorization: basicAuth('ursula', 'ursula-first-password') },
    );
    const response = await recon.app.request('/api/audit?limit=500', { headers: { authorization: ADMIN_AUTH } });
    const { items } = (await response.json()) as { items: Array<Record<string, unknown>> };
    const ursula = items.filter((row) => row.target === 'user:ursula').reverse();
    expect(ursula).toEqual([
      expect.objectContaining({ event: 'user-created', actor: ADMIN.name, role: 'admin', actionId: null }),
      expect.objectContaining({ event: 'user-promoted', actor: ADMIN.name, oldRole: 'viewer', newRole: 'admin' }),
      expect.objectContaining({ event: 'user-demoted', actor: 'ursula', oldRole: 'admin', newRole: 'operator' }),
      expect.objectContaining({ event: 'user-password-changed', actor: 'ursula', newRole: 'operator' }),
    ]);
    expect(ursula[0]).toMatchObject({ oldRole: null, newRole: 'viewer' });
    const stored = JSON.stringify((await pool.query("SELECT * FROM audit_log WHERE target = 'user:ursula'")).rows);
    expect(stored).not.toMatch(/ursula-(first|second)-password|scrypt\$/);
  });

  it('writes nothing to the audit log when a save changes nothing', async () => {
    await asAdmin({ name: 'stella', role: 'viewer', password: 'stella-own-password' });
    await asAdmin({ name: 'stella', role: 'viewer', password: 'stella-own-password' });
    const { rows } = await pool.query("SELECT event FROM audit_log WHERE target = 'user:stella'");
    expect(rows).toEqual([{ event: 'user-created' }]);
  });

  it('keeps user changes append-only like the rest of the audit log', async () => {
    await asAdmin({ name: 'tamper', role: 'viewer', password: 'tamper-own-password' });
    const before = (await pool.query("SELECT * FROM audit_log WHERE target = 'user:tamper'")).rows;
    expect(before).toHaveLength(1);
    await expect(
      pool.query("UPDATE audit_log SET new_role = 'admin' WHERE target = 'user:tamper'"),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(pool.query("DELETE FROM audit_log WHERE target = 'user:tamper'")).rejects.toMatchObject({
      code: '42501',
    });
    expect((await pool.query("SELECT * FROM audit_log WHERE target = 'user:tamper'")).rows).toEqual(before);
  });
});

describe('deleting a user', () => {
  const remove = (name: string, authorization = ADMIN_AUTH) =>
    recon.app.request(`/api/users/${encodeURIComponent(name)}`, {
      method: 'DELETE',
      headers: { ...JSON_TYPE, authorization },
    });

  it('ends their sessions and Basic access at once, and audits who deleted whom', async () => {
    await asAdmin({ name: 'leaver', role: 'operator', password: 'leaver-own-password' });
    const session = await signIn('leaver', 'leaver-own-password');
    const basic = basicAuth('leaver', 'leaver-own-password');
    expect((await recon.app.request('/api/session', { headers: { authorization: basic } })).status).toBe(200);

    const response = await remove('leaver');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ name: 'leaver', sessionsEnded: 1 });
    expect(await whoIs(session.cookie)).toBe(401);
    expect((await recon.app.request('/api/session', { headers: { authorization: basic } })).status).toBe(401);
    const { rows } = await pool.query(
      "SELECT event, actor, old_role, new_role, detail FROM audit_log WHERE target = 'user:leaver' AND event = 'user-deleted'",
    );
    expect(rows).toEqual([
      {
        event: 'user-deleted',
        actor: ADMIN.name,
        old_role: 'operator',
        new_role: null,
        detail: '1 open session(s) ended',
      },
    ]);
    expect((await remove('leaver')).status).toBe(404);
  });

  it('refuses to delete yourself or the last admin, and a non-admin may not delete', async () => {
    expect((await remove(ADMIN.name)).status).toBe(409);
    await asAdmin({ name: 'second-admin', role: 'admin', password: 'second-admin-password' });
    await asAdmin({ name: 'plain-operator', role: 'operator', password: 'plain-operator-password' });
    expect((await remove('second-admin', basicAuth('plain-operator', 'plain-operator-password'))).status).toBe(403);
    // Two admins deleting each other at once: the advisory and row locks let both through only while a third admin
    // remains; the store refuses to delete the last admin whoever asks.
    await asAdmin({ name: 'third-admin', role: 'admin', password: 'third-admin-password' });
    const [one, two] = await Promise.all([
      remove('third-admin', basicAuth('second-admin', 'second-admin-password')),
      remove('second-admin', basicAuth('third-admin', 'third-admin-password')),
    ]);
    expect([one.status, two.status].sort()).toEqual([200, 200]);
    const admins = (await pool.query<{ name: string }>("SELECT name FROM users WHERE role = 'admin'")).rows;
    const store = createUserStore(pool);
    for (const { name } of admins.filter(({ name }) => name !== ADMIN.name))
      expect((await store.deleteUser(name, { actor: 'test', role: 'system' })).status).toBe('deleted');
    expect(await store.deleteUser(ADMIN.name, { actor: 'test', role: 'system' })).toEqual({ status: 'last-admin' });
    expect((await pool.query("SELECT 1 FROM users WHERE role = 'admin'")).rowCount).toBe(1);
  });
});
