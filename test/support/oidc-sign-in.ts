import type { Recon } from '../../server/recon.ts';
import { signInAtProvider } from './oidc-user-agent.ts';

// One OpenID sign-in against a Recon without a socket (startTestRecon): Recon's start route, the provider's pages
// (test/support/oidc-user-agent.ts), then Recon's callback with the flow cookie the start route set.

/** Recon's origin in app.request URLs: a Recon without RECON_PUBLIC_URL is known by its loopback origin (PORT 8080). */
export const RECON_ORIGIN = 'http://127.0.0.1:8080';
export const CALLBACK_URL = `${RECON_ORIGIN}/api/session/oidc/callback`;

export interface OidcSignIn {
  /** Recon's answer to the callback. */
  response: Response;
  /** The session cookie (`recon_session=…`), or undefined when none was set. */
  cookie: string | undefined;
}

/** Each step can be changed by a test: the URL the provider sends back, and the cookie the browser holds. */
export interface Tampering {
  callback?: (url: URL) => URL;
  flowCookie?: (cookie: string) => string | undefined;
}

export async function signInWithOidc(recon: Recon, login: string, tampering: Tampering = {}): Promise<OidcSignIn> {
  const start = await recon.app.request(`${RECON_ORIGIN}/api/session/oidc/start`);
  const location = start.headers.get('location');
  if (start.status !== 302 || !location)
    throw new Error(`GET /api/session/oidc/start → ${start.status}: ${await start.text()}`);
  const flowCookie = cookieOf(start, 'recon_oidc_flow');
  if (!flowCookie) throw new Error('the start route set no flow cookie');
  const callback = await signInAtProvider(location, login, CALLBACK_URL);
  const cookie = tampering.flowCookie ? tampering.flowCookie(flowCookie) : flowCookie;
  const response = await recon.app.request((tampering.callback?.(callback) ?? callback).href, {
    headers: cookie ? { cookie } : {},
  });
  return { response, cookie: cookieOf(response, 'recon_session') };
}

/** `name=value` of a cookie the response sets (not one it deletes). */
export function cookieOf(response: Response, name: string): string | undefined {
  return response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0]!)
    .find((pair) => pair.startsWith(`${name}=`) && pair.length > name.length + 1);
}
