import type { ChangeAuthor, UserChangeResult, UserStore } from '../store/user-store.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import type { Role } from './user-rules.ts';

/**
 * Saves a user given as name, role and plain password — the users route, `npm run add-user` and the first admin
 * alike. Hashes are salted, so only the stored hash can tell whether the password is new: the same password again
 * (a role change, a restart with RECON_ADMIN_PASSWORD) keeps it, and so keeps the user's sessions open.
 */
export async function saveUserWithPassword(
  users: UserStore,
  user: { name: string; role: Role; password: string },
  by: ChangeAuthor,
): Promise<UserChangeResult> {
  const stored = await users.getUser(user.name);
  const isSamePassword = stored !== undefined && (await verifyPassword(user.password, stored.passwordHash));
  const passwordHash = isSamePassword ? undefined : await hashPassword(user.password);
  return users.saveUser({ name: user.name, role: user.role, passwordHash }, by);
}
