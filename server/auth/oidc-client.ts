import * as client from 'openid-client';
import type { OidcSettings } from '../oidc-settings.ts';
import { type Claims, claimOf } from './oidc-claims.ts';

// The relying party's side of the authorization code flow with PKCE, through openid-client (certified): it checks
// state, the issuer, the ID token's signature against the provider's published keys (never `none`), audience,
// expiry and nonce. This file only adds where those values live and what a failure means to the user.

/** Each request to the provider (discovery, token, UserInfo) gives up after this long. */
const PROVIDER_TIMEOUT_SECONDS = 5;

/** What the browser carries between the start and the callback (in an HttpOnly cookie). */
export interface OidcFlow {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export type OidcResult =
  | { status: 'ok'; claims: Claims; subject: string }
  /** The provider could not be reached or failed: nothing was decided about the user. */
  | { status: 'unavailable'; reason: string }
  /** The answer failed a check (state, issuer, signature, audience, expiry, nonce) or the provider said no. */
  | { status: 'refused'; reason: string };

export function createOidcClient(settings: OidcSettings) {
  // Discovered once and kept; a failure is not kept, so the next sign-in tries again.
  let discovered: Promise<client.Configuration> | undefined;
  const configuration = () => {
    discovered ??= client
      .discovery(
        settings.issuer,
        settings.clientId,
        settings.clientSecret,
        settings.clientSecret ? client.ClientSecretBasic(settings.clientSecret) : client.None(),
        {
          timeout: PROVIDER_TIMEOUT_SECONDS,
          // Without enableNonRepudiationChecks the library checks an ID token's `alg`, not its signature.
          execute: [
            client.enableNonRepudiationChecks,
            ...(settings.isLoopbackHttp ? [client.allowInsecureRequests] : []),
          ],
        },
      )
      .catch((err: unknown) => {
        discovered = undefined;
        throw err;
      });
    return discovered;
  };

  return {
    /** The provider's authorization URL for a new flow, or why the provider cannot be used now. */
    async start(): Promise<{ status: 'ok'; url: URL; flow: OidcFlow } | { status: 'unavailable'; reason: string }> {
      let config: client.Configuration;
      try {
        config = await configuration();
      } catch (err) {
        return { status: 'unavailable', reason: reasonOf(err) };
      }
      const flow = {
        state: client.randomState(),
        nonce: client.randomNonce(),
        codeVerifier: client.randomPKCECodeVerifier(),
      };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUrl,
        scope: settings.scope,
        state: flow.state,
        nonce: flow.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(flow.codeVerifier),
        code_challenge_method: 'S256',
      });
      return { status: 'ok', url, flow };
    },

    /** Exchanges the code of the provider's redirect (`callbackUrl`) and checks everything it returns. */
    async finish(callbackUrl: URL, flow: OidcFlow): Promise<OidcResult> {
      try {
        const config = await configuration();
        const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: flow.codeVerifier,
          expectedState: flow.state,
          expectedNonce: flow.nonce,
          idTokenExpected: true,
        });
        const idToken = tokens.claims();
        if (!idToken) return { status: 'refused', reason: 'the provider returned no ID token' };
        const claims: Claims = { ...idToken };
        // Many providers put groups in UserInfo only (for the code flow, OpenID Connect Core §5.4 says so).
        if (claimOf(claims, settings.roleClaim) === undefined || claimOf(claims, settings.nameClaim) === undefined)
          Object.assign(claims, await client.fetchUserInfo(config, tokens.access_token, idToken.sub), { ...idToken });
        return { status: 'ok', claims, subject: `${idToken.iss} ${idToken.sub}` };
      } catch (err) {
        return isUnreachable(err)
          ? { status: 'unavailable', reason: reasonOf(err) }
          : { status: 'refused', reason: reasonOf(err) };
      }
    },
  };
}

export type OidcClient = ReturnType<typeof createOidcClient>;

/** A network failure, a timeout or a 5xx of the provider: its fault, not the user's. */
function isUnreachable(err: unknown): boolean {
  for (let e = err; e instanceof Error; e = e.cause) {
    if (e.name === 'TimeoutError' || e.name === 'AbortError' || e.message === 'fetch failed') return true;
    if (e instanceof client.ResponseBodyError && e.status >= 500) return true;
    if ('code' in e && typeof e.code === 'string' && /^(ECONN|ENOTFOUND|EAI_|ETIMEDOUT|UND_ERR)/.test(e.code))
      return true;
  }
  return false;
}

/** The library's message and its causes', one line, for the page and the log (it never holds a token). */
function reasonOf(err: unknown): string {
  const parts: string[] = [];
  for (let e = err; e instanceof Error && parts.length < 3; e = e.cause) parts.push(e.message);
  return (parts.join(': ') || String(err)).slice(0, 300);
}
