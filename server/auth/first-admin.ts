import type { Logger } from 'pino';
import type { UserStore } from '../store/user-store.ts';
import { saveUserWithPassword } from './save-user.ts';

/**
 * RECON_ADMIN_USER/RECON_ADMIN_PASSWORD create (or reset) that admin at start. Without them, a Recon nobody can sign
 * in to says so, and how to fix it, instead of starting silently useless. A restart with the same password changes
 * nothing: the admin's sessions stay open and the audit log gets no row.
 */
export async function ensureFirstAdmin(
  users: UserStore,
  admin: { name: string; password: string } | undefined,
  log: Pick<Logger, 'warn'>,
): Promise<void> {
  if (admin) {
    await saveUserWithPassword(users, { ...admin, role: 'admin' }, { actor: 'env:RECON_ADMIN_USER', role: 'system' });
    return;
  }
  if ((await users.listUsers()).length === 0)
    log.warn(
      'no user can sign in yet: set RECON_ADMIN_USER and RECON_ADMIN_PASSWORD, or run npm run add-user -- <name> admin',
    );
}
