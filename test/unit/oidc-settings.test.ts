import { describe, expect, it } from 'vitest';
import { groupsOf, nameOf, roleOf } from '../../server/auth/oidc-claims.ts';
import { loadConfig } from '../../server/config.ts';

const OIDC = {
  RECON_OIDC_ISSUER: 'https://login.example.com/realms/ops',
  RECON_OIDC_CLIENT_ID: 'recon',
  RECON_OIDC_OPERATOR_GROUPS: 'ops, sre',
  RECON_OIDC_ADMIN_GROUPS: 'recon-admins',
};

describe('OpenID settings (RECON_OIDC_*)', () => {
  it('reads the issuer, the groups per role and a redirect URL under the first public URL', () => {
    const { oidc, isPasswordSignInOn } = loadConfig({
      ...OIDC,
      RECON_PUBLIC_URL: 'https://recon.example.com,https://recon.internal',
    }).web;
    expect(oidc).toMatchObject({
      clientId: 'recon',
      displayName: 'login.example.com',
      redirectUrl: 'https://recon.example.com/api/session/oidc/callback',
      scope: 'openid profile',
      nameClaim: 'preferred_username',
      roleClaim: 'groups',
      groups: { viewer: [], operator: ['ops', 'sre'], admin: ['recon-admins'] },
    });
    expect(isPasswordSignInOn).toBe(true);
  });

  it('is off without RECON_OIDC_ISSUER, and a stray RECON_OIDC_ setting says so', () => {
    expect(loadConfig({}).web.oidc).toBeUndefined();
    expect(() => loadConfig({ RECON_OIDC_CLIENT_ID: 'recon' })).toThrow(
      /RECON_OIDC_CLIENT_ID is set but RECON_OIDC_ISSUER/,
    );
  });

  it('names the variable of each bad value', () => {
    expect(() => loadConfig({ ...OIDC, RECON_OIDC_ISSUER: 'http://login.example.com' })).toThrow(
      /RECON_OIDC_ISSUER.*https/,
    );
    expect(() => loadConfig({ ...OIDC, RECON_OIDC_ISSUER: 'not a url' })).toThrow(/RECON_OIDC_ISSUER/);
    expect(() => loadConfig({ ...OIDC, RECON_OIDC_CLIENT_ID: '' })).toThrow(/RECON_OIDC_CLIENT_ID/);
    expect(() => loadConfig({ ...OIDC, RECON_OIDC_SCOPE: 'profile' })).toThrow(/RECON_OIDC_SCOPE/);
    expect(() => loadConfig({ ...OIDC, RECON_OIDC_ROLE_CLAIM: 'group s' })).toThrow(/RECON_OIDC_ROLE_CLAIM/);
    expect(() => loadConfig({ ...OIDC, RECON_OIDC_OPERATOR_GROUPS: '', RECON_OIDC_ADMIN_GROUPS: ' , ' })).toThrow(
      /needs at least one of RECON_OIDC_VIEWER_GROUPS/,
    );
    expect(() => loadConfig({ ...OIDC, RECON_PASSWORD_SIGNIN: 'off' })).toThrow(/RECON_PASSWORD_SIGNIN/);
  });

  it('allows http:// only for a provider on loopback', () => {
    expect(loadConfig({ ...OIDC, RECON_OIDC_ISSUER: 'http://127.0.0.1:9000' }).web.oidc?.isLoopbackHttp).toBe(true);
  });

  it('refuses to turn passwords off when nobody could sign in', () => {
    expect(() => loadConfig({ RECON_PASSWORD_SIGNIN: 'false' })).toThrow(
      /RECON_PASSWORD_SIGNIN=false needs RECON_OIDC_ISSUER/,
    );
    expect(loadConfig({ ...OIDC, RECON_PASSWORD_SIGNIN: 'false' }).web.isPasswordSignInOn).toBe(false);
  });
});

describe('OpenID claims to a Recon user', () => {
  const mapping = { viewer: ['all-staff'], operator: ['ops'], admin: ['recon-admins'] };

  it('gives the highest role any group gives, and none without a mapped group', () => {
    expect(roleOf(['all-staff', 'recon-admins', 'ops'], mapping)).toBe('admin');
    expect(roleOf(['all-staff'], mapping)).toBe('viewer');
    expect(roleOf(['marketing'], mapping)).toBeUndefined();
    expect(roleOf([], mapping)).toBeUndefined();
  });

  it('reads groups as a list, a single string, a namespaced claim or a nested path', () => {
    expect(groupsOf({ groups: ['a', 7, 'b'] }, 'groups')).toEqual(['a', 'b']);
    expect(groupsOf({ groups: 'ops' }, 'groups')).toEqual(['ops']);
    expect(groupsOf({ 'https://example.com/groups': ['ops'] }, 'https://example.com/groups')).toEqual(['ops']);
    expect(groupsOf({ realm_access: { roles: ['ops'] } }, 'realm_access.roles')).toEqual(['ops']);
    expect(groupsOf({}, 'groups')).toEqual([]);
  });

  it('takes a name only when it fits Recon’s name rules', () => {
    expect(nameOf({ preferred_username: 'olga@example.com' }, 'preferred_username')).toBe('olga@example.com');
    expect(nameOf({ preferred_username: 'Olga <script>' }, 'preferred_username')).toBeUndefined();
    expect(nameOf({}, 'preferred_username')).toBeUndefined();
  });
});
