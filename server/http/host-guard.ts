import { isIP } from 'node:net';
import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from './api-error.ts';

// DNS rebinding: a page on attacker.example whose name is made to resolve to Recon's address talks to Recon from a
// victim's browser as if same-origin: `Host: attacker.example`, its own Origin, and whatever Basic credentials the
// browser holds for that address. So Recon answers only requests addressed to a name it is known by
// (RECON_PUBLIC_URL) or to one no rebinding page can produce: `localhost` or an IP address, which a browser never
// looks up in the attacker's DNS. Writes must also come from one of those origins.

/** Probed by orchestrators under whatever name they have (a pod IP, a service name); they reveal nothing. */
const ANY_HOST_PATHS = new Set(['/healthz', '/readyz']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** hono's secureHeaders default: 180 days. */
const HSTS = 'max-age=15552000; includeSubDomains';

export interface HostGuardOptions {
  /** RECON_PUBLIC_URL's origins, e.g. `https://recon.example.com`. */
  publicOrigins: readonly string[];
  /** With RECON_METRICS_TOKEN set, /metrics answers any Host: a rebinding page cannot send the bearer token. */
  isMetricsTokenSet: boolean;
}

/** Refuses a request for another host name (421) and a write from another origin (403), before authentication. */
export function guardHost({ publicOrigins, isMetricsTokenSet }: HostGuardOptions): MiddlewareHandler {
  const knownHosts = new Set(publicOrigins.flatMap(hostsOf));
  const isKnown = (host: string) => knownHosts.has(host) || isLocalOrIp(host);
  return async (c, next) => {
    if (ANY_HOST_PATHS.has(c.req.path) || (isMetricsTokenSet && c.req.path === '/metrics')) return next();
    const host = requestHost(c);
    // The request target names the host when it is absolute (`GET http://x/ HTTP/1.1`): both must be known.
    for (const name of new Set([host, new URL(c.req.url).host]))
      if (!isKnown(name))
        throw new ApiError(421, `Recon is not served as ${name.slice(0, 100)}: add its URL to RECON_PUBLIC_URL`, {
          code: 'misdirected-request',
        });
    const origin = c.req.header('origin');
    if (origin !== undefined && !SAFE_METHODS.has(c.req.method) && !isOwnOrigin(origin, host, publicOrigins))
      throw new ApiError(403, `cross-origin request from ${origin} refused`);
    return next();
  };
}

/**
 * Strict-Transport-Security only on a response to a request that came over HTTPS: a TLS connection to Recon, or a
 * request for an https RECON_PUBLIC_URL's host (a proxy in front terminated TLS). Over plain HTTP it means nothing.
 */
export function hstsOverHttps(publicOrigins: readonly string[]): MiddlewareHandler {
  const httpsHosts = new Set(publicOrigins.filter((origin) => origin.startsWith('https:')).flatMap(hostsOf));
  return async (c, next) => {
    await next();
    if (new URL(c.req.url).protocol === 'https:' || httpsHosts.has(requestHost(c)))
      c.header('Strict-Transport-Security', HSTS);
  };
}

const requestHost = (c: Context) => (c.req.header('host') ?? new URL(c.req.url).host).toLowerCase();

/** `recon.example.com` and `recon.example.com:443`: a client may write the default port. */
function hostsOf(origin: string): string[] {
  const url = new URL(origin);
  return [url.host, `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`];
}

function isLocalOrIp(host: string): boolean {
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d*$/, '');
  return name === 'localhost' || isIP(name) !== 0;
}

/** One of the public origins, or a loopback/IP origin naming the very host the request was sent to. */
function isOwnOrigin(origin: string, host: string, publicOrigins: readonly string[]): boolean {
  if (publicOrigins.includes(origin)) return true;
  if (!URL.canParse(origin)) return false;
  const from = new URL(origin);
  return (from.protocol === 'http:' || from.protocol === 'https:') && from.host === host && isLocalOrIp(host);
}
