import type { OidcSettings } from '../oidc-settings.ts';
import { ROLES, type Role, USER_NAME } from './user-rules.ts';

// What a verified ID token (or UserInfo answer) says about who signs in: their Recon name and role. Pure.

export type Claims = Record<string, unknown>;

/**
 * The claim's value: the key as written first (Auth0's namespaced claims are URLs with dots), then as a dotted path
 * into nested objects (Keycloak's `realm_access.roles`).
 */
export function claimOf(claims: Claims, name: string): unknown {
  if (name in claims) return claims[name];
  let value: unknown = claims;
  for (const part of name.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Claims)[part];
  }
  return value;
}

/** The user's groups: a list of strings, or one string (some providers send a single group bare). */
export function groupsOf(claims: Claims, claim: string): string[] {
  const value = claimOf(claims, claim);
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((group): group is string => typeof group === 'string') : [];
}

/** The highest role any of the groups gives; undefined when none gives one (no access). */
export function roleOf(groups: readonly string[], mapping: OidcSettings['groups']): Role | undefined {
  return [...ROLES].reverse().find((role) => mapping[role].some((group) => groups.includes(group)));
}

/** The Recon user name the claim gives, or undefined when it is missing or breaks the name rules. */
export function nameOf(claims: Claims, claim: string): string | undefined {
  const value = claimOf(claims, claim);
  return typeof value === 'string' && USER_NAME.test(value) ? value : undefined;
}
