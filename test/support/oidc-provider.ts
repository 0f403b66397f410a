import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

// A real OpenID provider (oidc-provider, a certified implementation) on loopback, with its development login and
// consent forms: any password signs a user in, and the user's groups come from OIDC_USERS. Every request reaches it
// through a small proxy that can rewrite the ID token the token endpoint returns (re-signed with the provider's own
// key, or unsigned): a real provider never issues a token for another audience or one already expired, so those
// refusals need a token endpoint that misbehaves, the way a compromised or misconfigured one would.

export const OIDC_CLIENT = { id: 'recon-test', secret: 'recon-test-client-secret-0123456789' };

/** The provider's users and their groups, for Recon's role mapping (see OIDC_ROLE_ENV). */
export const OIDC_USERS: Record<string, string[]> = {
  olga: ['staff', 'recon-operators'],
  vera: ['recon-viewers'],
  ada: ['recon-admins'],
  nils: ['staff'],
};

/** Recon's settings for this provider (its issuer and redirect URL aside). */
export const OIDC_ROLE_ENV = {
  RECON_OIDC_CLIENT_ID: OIDC_CLIENT.id,
  RECON_OIDC_CLIENT_SECRET: OIDC_CLIENT.secret,
  RECON_OIDC_NAME: 'Test IdP',
  RECON_OIDC_SCOPE: 'openid profile groups',
  RECON_OIDC_VIEWER_GROUPS: 'recon-viewers',
  RECON_OIDC_OPERATOR_GROUPS: 'recon-operators',
  RECON_OIDC_ADMIN_GROUPS: 'recon-admins',
};

export type IdTokenClaims = Record<string, unknown>;

export interface TestProvider {
  issuer: string;
  /** Groups a user has from now on (their next sign-in). */
  groups: Map<string, string[]>;
  /**
   * Rewrites every ID token the token endpoint returns until set back to null; `none` drops the signature,
   * `foreign-key` signs with a key the provider never published.
   */
  tamper(change: ((claims: IdTokenClaims) => IdTokenClaims) | null, alg?: TamperAlg): void;
  stop(): Promise<void>;
}

type TamperAlg = 'RS256' | 'none' | 'foreign-key';
/** A key of nobody's: a token it signs claims the provider's `kid` but no published key verifies it. */
const FOREIGN_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

export async function startTestProvider(redirectUris: string[]): Promise<TestProvider> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const groups = new Map(Object.entries(OIDC_USERS));
  let tampering: { change: (claims: IdTokenClaims) => IdTokenClaims; alg: TamperAlg } | null = null;

  const proxy = createServer((req, res) => forward(req, res, upstreamPort, tampering, privateKey));
  const issuer = `http://127.0.0.1:${await listen(proxy)}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: OIDC_CLIENT.id,
        client_secret: OIDC_CLIENT.secret,
        redirect_uris: redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' }] },
    claims: { openid: ['sub'], profile: ['preferred_username', 'name'], groups: ['groups'] },
    scopes: ['openid', 'profile', 'groups'],
    cookies: { keys: ['oidc-provider-test-cookie-key'] },
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    // Set, so the provider does not print a notice for each default.
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    findAccount: async (_ctx, id) => ({
      accountId: id,
      claims: async () => ({ sub: id, preferred_username: id, name: id, groups: groups.get(id) ?? [] }),
    }),
  });
  const upstream = createServer(provider.callback());
  const upstreamPort = await listen(upstream);
  return {
    issuer,
    groups,
    tamper(change, alg = 'RS256') {
      tampering = change && { change, alg };
    },
    async stop() {
      await Promise.all([close(proxy), close(upstream)]);
    },
  };
}

function forward(
  req: IncomingMessage,
  res: ServerResponse,
  port: number,
  tampering: { change: (claims: IdTokenClaims) => IdTokenClaims; alg: TamperAlg } | null,
  key: KeyObject,
): void {
  const upstream = request(
    { host: '127.0.0.1', port, path: req.url, method: req.method, headers: req.headers },
    (up) => {
      if (!tampering || req.url !== '/token' || up.statusCode !== 200) {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      up.on('data', (chunk: Buffer) => chunks.push(chunk));
      up.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id_token?: string };
        if (body.id_token) body.id_token = rewrite(body.id_token, tampering, key);
        const text = JSON.stringify(body);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      });
    },
  );
  upstream.on('error', () => res.writeHead(502).end());
  req.pipe(upstream);
}

function rewrite(
  jwt: string,
  { change, alg }: { change: (claims: IdTokenClaims) => IdTokenClaims; alg: TamperAlg },
  key: KeyObject,
): string {
  const [header, payload] = jwt.split('.');
  const claims = change(JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as IdTokenClaims);
  const newHeader = {
    ...(JSON.parse(Buffer.from(header!, 'base64url').toString('utf8')) as object),
    alg: alg === 'foreign-key' ? 'RS256' : alg,
  };
  const input = `${b64(newHeader)}.${b64(claims)}`;
  if (alg === 'none') return `${input}.`;
  const signer = alg === 'foreign-key' ? FOREIGN_KEY : key;
  return `${input}.${sign('sha256', Buffer.from(input), signer).toString('base64url')}`;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function listen(server: Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
