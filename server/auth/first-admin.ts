import type { Logger } from 'pino';
import type { UserStore } from '../store/user-store.ts';
import { hashPassword } from './passwords.ts';

/**
 * RECON_ADMIN_USER/RECON_ADMIN_PASSWORD create (or reset) that admin at start. Without them, a Recon nobody can sign
 * in to says so, and how to fix it, instead of starting silently useless.
 */
export async function ensureFirstAdmin(
  users: UserStore,
  admin: { name: string; password: string } | undefined,
  log: Pick<Logger, 'warn'>,
): Promise<void> {
  if (admin) {
    await users.upsertUser({ name: admin.name, role: 'admin', passwordHash: await hashPassword(admin.password) });
    return;
  }
  if ((await users.listUsers()).length === 0)
    log.warn(
      'no user can sign in yet: set RECON_ADMIN_USER and RECON_ADMIN_PASSWORD, or run npm run add-user -- <name> admin',
    );
}
