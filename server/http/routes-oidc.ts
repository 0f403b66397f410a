import { type Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { groupsOf, nameOf, roleOf } from '../auth/oidc-claims.ts';
import { createOidcClient, type OidcFlow } from '../auth/oidc-client.ts';
import { OIDC_CALLBACK_PATH, type OidcSettings } from '../oidc-settings.ts';
import type { SessionStore } from '../store/session-store.ts';
import type { SignInStore } from '../store/sign-in-store.ts';
import { ApiError } from './api-error.ts';
import type { ErrorLogger } from './app.ts';
import type { AuthEnv } from './auth.ts';
import { clientAddress } from './client-address.ts';
import type { CredentialChecker } from './credentials.ts';
import { refusalPage } from './oidc-page.ts';
import { createRateLimiter } from './rate-limit.ts';
import { isSecure, type SessionCookieOptions, setSessionCookie } from './session-cookie.ts';
import type { SignInOptionsJson } from './wire.ts';

export const OIDC_START_PATH = '/api/session/oidc/start';
/** State, nonce and PKCE verifier between the start and the callback. Lax: the callback is the provider's redirect. */
const FLOW_COOKIE = 'recon_oidc_flow';
const FLOW_COOKIE_PATH = '/api/session/oidc';
const FLOW_TTL_SECONDS = 600;
/**
 * Failed callbacks per client address per minute. The flow cookie is not signed (any replica must read it), so a
 * script could invent one and make Recon call the provider's token endpoint with its client secret: this bounds it.
 */
const FAILED_CALLBACKS_PER_CLIENT_PER_MINUTE = 20;

export interface OidcRouteDeps extends SessionCookieOptions {
  sessions: SessionStore;
  signIns: SignInStore;
  isPasswordSignInOn: boolean;
  logger: ErrorLogger;
  /** Unset: only the sign-in options, which then offer passwords alone. */
  oidc?: OidcSettings;
}

/** How to sign in (for the sign-in page), and the authorization code flow with an OpenID provider. */
export function oidcRoutes(deps: OidcRouteDeps) {
  const app = new Hono<AuthEnv>();
  const { oidc } = deps;
  app.get('/api/sign-in-options', (c) =>
    c.json<SignInOptionsJson>({
      password: deps.isPasswordSignInOn,
      oidc: oidc ? { name: oidc.displayName, startUrl: OIDC_START_PATH } : null,
    }),
  );
  if (!oidc) return app;
  const client = createOidcClient(oidc);
  const provider = oidc.displayName;
  // The reason (addresses, ports of the provider's network) goes to the log only: this page is shown to anyone.
  const unavailable = {
    status: 502 as const,
    title: `${provider} cannot be reached`,
    detail: `Recon could not talk to ${provider}. Try again in a moment; if it stays down, an administrator can sign in with a local user (RECON_PASSWORD_SIGNIN); Recon's log says why.`,
  };

  const failures = createRateLimiter({ perMinute: FAILED_CALLBACKS_PER_CLIENT_PER_MINUTE });

  app.get(OIDC_START_PATH, async (c) => {
    // The flow cookie must be set on the host the provider sends the browser back to.
    const callback = new URL(oidc.redirectUrl);
    if (new URL(c.req.url).host !== callback.host) return c.redirect(new URL(OIDC_START_PATH, callback).href, 302);
    const started = await client.start();
    if (started.status !== 'ok') {
      deps.logger.error({ reason: started.reason }, 'OpenID provider unreachable');
      return refusalPage(c, unavailable);
    }
    setCookie(c, FLOW_COOKIE, Buffer.from(JSON.stringify(started.flow)).toString('base64url'), {
      httpOnly: true,
      sameSite: 'Lax',
      path: FLOW_COOKIE_PATH,
      maxAge: FLOW_TTL_SECONDS,
      secure: isSecure(c, deps.secureCookies),
    });
    return c.redirect(started.url.href, 302);
  });

  app.get(OIDC_CALLBACK_PATH, async (c) => {
    const client = clientAddress(c);
    const wait = failures.secondsToWait(client);
    if (wait > 0) {
      c.header('retry-after', String(wait));
      return refusalPage(c, {
        status: 429,
        title: 'Too many failed sign-ins from here',
        detail: `Try again in ${wait} s.`,
      });
    }
    const page = await callback(c);
    if (page.status !== 302) failures.take(client);
    return page;
  });

  const callback = async (c: Context<AuthEnv>) => {
    const flow = readFlow(getCookie(c, FLOW_COOKIE));
    deleteCookie(c, FLOW_COOKIE, { path: FLOW_COOKIE_PATH });
    if (!flow)
      return refusalPage(c, {
        status: 400,
        title: 'This sign-in was not started here',
        detail: `Recon has no sign-in in progress in this browser (or it took longer than ${FLOW_TTL_SECONDS / 60} minutes). Start again from the sign-in page.`,
      });
    const callbackUrl = new URL(oidc.redirectUrl);
    callbackUrl.search = new URL(c.req.url).search;
    const result = await client.finish(callbackUrl, flow);
    if (result.status === 'unavailable') {
      deps.logger.error({ reason: result.reason }, 'OpenID provider unreachable');
      return refusalPage(c, unavailable);
    }
    if (result.status === 'refused') {
      deps.logger.info?.({ reason: result.reason }, 'OpenID sign-in refused');
      return refusalPage(c, {
        status: 403,
        title: 'Sign-in refused',
        detail: `The answer from ${provider} failed Recon's checks: ${result.reason}. Start again from the sign-in page.`,
      });
    }
    const name = nameOf(result.claims, oidc.nameClaim);
    const groups = groupsOf(result.claims, oidc.roleClaim);
    const role = roleOf(groups, oidc.groups);
    if (!name || !role) {
      // Removed from every group at the provider: the sessions this identity still has end now, not at their expiry.
      const sessionsEnded = await deps.signIns.endFederatedSessions(result.subject);
      deps.logger.info?.(
        { subject: result.subject, name, groups, sessionsEnded },
        'OpenID sign-in without a Recon role',
      );
      return refusalPage(c, {
        status: 403,
        title: 'No access to Recon',
        detail: !name
          ? `${provider} gave no usable user name (claim ${oidc.nameClaim}: letters, digits and . _ @ - only).`
          : `${name}, your groups at ${provider} (${groups.join(', ') || 'none'}) give no role in Recon. Ask an administrator to add you to a group Recon maps to a role.`,
      });
    }
    const iss = String(result.claims.iss);
    const saved = await deps.signIns.signInFederated({ name, role, subject: result.subject, how: `openid ${iss}` });
    if (saved.status === 'name-taken')
      return refusalPage(c, {
        status: 409,
        title: 'This name is taken',
        detail: `Recon already has a user named ${name} who does not sign in with ${provider}. An administrator must remove or rename that user first.`,
      });
    const { token } = await deps.sessions.create(saved.name, deps.ttlMs);
    setSessionCookie(c, token, deps);
    return c.redirect('/', 302);
  };
  return app;
}

function readFlow(cookie: string | undefined): OidcFlow | undefined {
  if (!cookie) return undefined;
  try {
    const flow = JSON.parse(Buffer.from(cookie, 'base64url').toString('utf8')) as Partial<OidcFlow>;
    const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
    return isText(flow.state) && isText(flow.nonce) && isText(flow.codeVerifier) ? (flow as OidcFlow) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * RECON_PASSWORD_SIGNIN=false: every password is refused, through the sign-in form and HTTP Basic alike (both check
 * the same password list; one that still worked through Basic would still be a password). Nothing is hashed.
 */
export const refusePasswords: CredentialChecker = async () => {
  throw new ApiError(403, 'password sign-in is turned off on this Recon (RECON_PASSWORD_SIGNIN=false)');
};
