import { BlockList, isIP, isIPv6 } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import type { AuthEnv } from './auth.ts';

/** X-Forwarded-For entries looked at, from the right: more hops than any real proxy chain has. */
const MAX_FORWARDED_HOPS = 16;

/**
 * Who is asking, for the credential limits. It is the socket's remote address, unless that address is one of the
 * proxies Recon was told to trust (RECON_TRUSTED_PROXIES): then X-Forwarded-For is read from the right, skipping
 * trusted hops, and the first address that is not a trusted proxy is the client. Anyone can send X-Forwarded-For,
 * so it is never read from a socket that is not a trusted proxy, and only the hops our proxies appended count.
 * An IPv6 client is its /64, since one host usually holds a whole /64.
 */
export function identifyClients(trustedProxies: readonly string[]): MiddlewareHandler<AuthEnv> {
  const trusted = toBlockList(trustedProxies);
  return async (c, next) => {
    c.set('clientAddress', resolveClient(c, trusted));
    await next();
  };
}

/** The client `identifyClients` named; without that middleware (tests), the socket's. "unknown" without a socket. */
export function clientAddress(c: Context<AuthEnv>): string {
  return c.get('clientAddress') ?? resolveClient(c, undefined);
}

function resolveClient(c: Context, trusted: BlockList | undefined): string {
  let address = socketAddress(c);
  if (!address) return 'unknown';
  if (trusted) {
    const hops = (c.req.header('x-forwarded-for') ?? '').split(',').slice(-MAX_FORWARDED_HOPS).reverse();
    for (const hop of hops) {
      if (!isTrusted(trusted, address)) break;
      const next = unmapped(hop.trim());
      // A malformed hop was not written by a proxy of ours: the last trusted hop is the best Recon knows.
      if (!isIP(next)) break;
      address = next;
    }
  }
  return isIPv6(address) ? `${expandIPv6(address).slice(0, 4).join(':')}::/64` : address;
}

function socketAddress(c: Context): string | undefined {
  try {
    const address = getConnInfo(c).remote.address;
    return address ? unmapped(address) : undefined;
  } catch {
    return undefined;
  }
}

const isTrusted = (trusted: BlockList, address: string) => trusted.check(address, isIPv6(address) ? 'ipv6' : 'ipv4');

/** An IPv4 client reached over an IPv6 socket is the IPv4 client. */
const unmapped = (address: string) => /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] ?? address;

/** Addresses and CIDR ranges, already checked by the configuration (listen-settings.ts). */
function toBlockList(entries: readonly string[]): BlockList | undefined {
  if (entries.length === 0) return undefined;
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const type = isIPv6(address) ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return list;
}

function expandIPv6(address: string): string[] {
  const [head = '', tail] = address.split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0');
  return [...left, ...(tail === undefined ? [] : zeros), ...right].map((part) => part.toLowerCase());
}
