import { ROLES, type Role } from './auth/user-rules.ts';

// Single sign-on with an OpenID provider (RECON_OIDC_*): read by loadConfig, a bad value named by its variable.

export interface OidcSettings {
  issuer: URL;
  clientId: string;
  /** Unset: Recon is a public client and PKCE alone protects the code. */
  clientSecret?: string;
  /** The provider's name on the sign-in button ("Sign in with …"). */
  displayName: string;
  /** Where the provider sends the browser back: the first RECON_PUBLIC_URL + /api/session/oidc/callback. */
  redirectUrl: string;
  scope: string;
  /** The claim that becomes the Recon user name (preferred_username by default). */
  nameClaim: string;
  /** The claim that lists the user's groups (groups by default), read from the ID token or else from UserInfo. */
  roleClaim: string;
  /** The groups that give each role; a user gets the highest role any of their groups gives, none: no access. */
  groups: Record<Role, string[]>;
  /** http:// issuers are allowed on loopback only (a provider on the same machine, as in the tests). */
  isLoopbackHttp: boolean;
}

export const OIDC_CALLBACK_PATH = '/api/session/oidc/callback';
const CLAIM = /^[A-Za-z0-9_.:/-]{1,100}$/;
const GROUP_ENV: Record<Role, string> = {
  viewer: 'RECON_OIDC_VIEWER_GROUPS',
  operator: 'RECON_OIDC_OPERATOR_GROUPS',
  admin: 'RECON_OIDC_ADMIN_GROUPS',
};

/** RECON_OIDC_* as settings (undefined when RECON_OIDC_ISSUER is unset), or the problem naming its variable. */
export function toOidcSettings(
  env: Record<string, string | undefined>,
  publicOrigin: string,
): { settings?: OidcSettings } | { problem: string } {
  const issuerText = env.RECON_OIDC_ISSUER?.trim();
  if (!issuerText) {
    const stray = Object.keys(env).find((name) => name.startsWith('RECON_OIDC_') && env[name]);
    return stray ? { problem: `${stray} is set but RECON_OIDC_ISSUER is not` } : {};
  }
  if (!URL.canParse(issuerText)) return { problem: 'RECON_OIDC_ISSUER is not a URL, e.g. https://login.example.com' };
  const issuer = new URL(issuerText);
  const isLoopback = ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
  if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && isLoopback))
    return { problem: 'RECON_OIDC_ISSUER must start with https:// (http:// only for a provider on localhost)' };
  if (issuer.username || issuer.password || issuer.search || issuer.hash)
    return { problem: 'RECON_OIDC_ISSUER must be the issuer URL only, without a user, query or fragment' };
  const clientId = env.RECON_OIDC_CLIENT_ID?.trim();
  if (!clientId) return { problem: 'RECON_OIDC_CLIENT_ID must be set with RECON_OIDC_ISSUER' };
  const scope = (env.RECON_OIDC_SCOPE ?? 'openid profile').trim().split(/\s+/);
  if (!scope.includes('openid')) return { problem: 'RECON_OIDC_SCOPE must include openid' };
  const nameClaim = env.RECON_OIDC_NAME_CLAIM?.trim() || 'preferred_username';
  const roleClaim = env.RECON_OIDC_ROLE_CLAIM?.trim() || 'groups';
  for (const [name, value] of [
    ['RECON_OIDC_NAME_CLAIM', nameClaim],
    ['RECON_OIDC_ROLE_CLAIM', roleClaim],
  ] as const)
    if (!CLAIM.test(value)) return { problem: `${name} must be a claim name (letters, digits, _ . : / -)` };
  const groups = Object.fromEntries(ROLES.map((role) => [role, listOf(env[GROUP_ENV[role]])])) as Record<
    Role,
    string[]
  >;
  if (ROLES.every((role) => groups[role].length === 0))
    return {
      problem: `RECON_OIDC_ISSUER needs at least one of ${Object.values(GROUP_ENV).join(', ')}: without a group nobody gets a role`,
    };
  return {
    settings: {
      issuer,
      clientId,
      clientSecret: env.RECON_OIDC_CLIENT_SECRET || undefined,
      displayName: env.RECON_OIDC_NAME?.trim() || issuer.host,
      redirectUrl: `${publicOrigin}${OIDC_CALLBACK_PATH}`,
      scope: scope.join(' '),
      nameClaim,
      roleClaim,
      groups,
      isLoopbackHttp: issuer.protocol === 'http:',
    },
  };
}

const listOf = (text: string | undefined) =>
  (text ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
