import { isIP } from 'node:net';

// Where Recon listens (RECON_HOST) and the origins it is known by (RECON_PUBLIC_URL): server/http/host-guard.ts
// refuses requests addressed to any other name, which is what stops DNS rebinding.

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** An address to listen on: an IP address (0.0.0.0 or :: for every interface) or a host name. */
export const isListenHost = (text: string): boolean => isIP(text) !== 0 || HOST_NAME.test(text);

/** The loopback URLs of a Recon listening on `port`: what it is known by when RECON_PUBLIC_URL is not set. */
export const loopbackOrigins = (port: number): string[] =>
  ['127.0.0.1', 'localhost', '[::1]'].map((host) => `http://${host}:${port}`);

/**
 * RECON_PUBLIC_URL's comma-separated URLs as origins (`https://recon.example.com`), or the problem with them. An
 * entry that might hold a password (it has an `@`) is never quoted back.
 */
export function toPublicOrigins(text: string): { origins: string[] } | { problem: string } {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) return { problem: 'must list at least one URL, e.g. https://recon.example.com' };
  const origins: string[] = [];
  for (const entry of entries) {
    const quoted = entry.includes('@') ? 'an entry' : `"${entry}"`;
    if (!URL.canParse(entry)) return { problem: `${quoted} is not a URL, e.g. https://recon.example.com` };
    const url = new URL(entry);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      return { problem: `${quoted} must start with http:// or https://` };
    if (url.username || url.password) return { problem: 'must not hold a user or password' };
    if (url.pathname !== '/' || url.search || url.hash)
      return { problem: `${quoted} must be scheme, host and port only: Recon serves at the root path` };
    origins.push(url.origin);
  }
  return { origins: [...new Set(origins)] };
}

/** RECON_TRUSTED_PROXIES: comma-separated IP addresses or CIDR ranges; the problem in words, or the entries. */
export function parseTrustedProxies(text: string): { entries: string[] } | { problem: string } {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [address = '', prefix, ...rest] = entry.split('/');
    const family = isIP(address);
    const maxPrefix = family === 6 ? 128 : 32;
    const isPrefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= maxPrefix);
    if (!family || rest.length > 0 || !isPrefixOk)
      return { problem: `"${entry}" is not an IP address or a CIDR range (e.g. 10.0.0.5, 10.0.0.0/8, fd00::/8)` };
  }
  return { entries };
}
