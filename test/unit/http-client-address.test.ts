import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AuthEnv } from '../../server/http/auth.ts';
import { clientAddress, identifyClients } from '../../server/http/client-address.ts';
import { parseTrustedProxies } from '../../server/listen-settings.ts';

// The credential limits count per client address: the socket's, with an IPv6 host counted as its /64; behind a
// proxy Recon was told to trust, the address that proxy appended to X-Forwarded-For.

const app = new Hono<AuthEnv>().get('/', (c) => c.text(clientAddress(c)));
const from = (remoteAddress: string) => app.request('/', {}, { incoming: { socket: { remoteAddress } } });

describe('clientAddress', () => {
  it('is the socket address for IPv4, also when IPv4-mapped', async () => {
    expect(await (await from('203.0.113.7')).text()).toBe('203.0.113.7');
    expect(await (await from('::ffff:203.0.113.7')).text()).toBe('203.0.113.7');
  });

  it('counts an IPv6 host as its /64, however the address is written', async () => {
    expect(await (await from('2001:db8:1:2:aaaa::1')).text()).toBe('2001:db8:1:2::/64');
    expect(await (await from('2001:DB8:1:2:bbbb:cccc:dddd:eeee')).text()).toBe('2001:db8:1:2::/64');
    expect(await (await from('2001:db8::1')).text()).toBe('2001:db8:0:0::/64');
    expect(await (await from('::1')).text()).toBe('0:0:0:0::/64');
  });

  it('ignores X-Forwarded-For, and is "unknown" without a socket', async () => {
    const forwarded = await app.request(
      '/',
      { headers: { 'x-forwarded-for': '198.51.100.1' } },
      { incoming: { socket: { remoteAddress: '203.0.113.7' } } },
    );
    expect(await forwarded.text()).toBe('203.0.113.7');
    expect(await (await app.request('/')).text()).toBe('unknown');
  });
});

describe('behind trusted proxies (RECON_TRUSTED_PROXIES)', () => {
  const behind = new Hono<AuthEnv>()
    .use(identifyClients(['10.0.0.5', '192.168.0.0/16', 'fd00::/8']))
    .get('/', (c) => c.text(clientAddress(c)));
  const via = async (remoteAddress: string, forwardedFor?: string) => {
    const headers = forwardedFor ? { 'x-forwarded-for': forwardedFor } : {};
    return (await behind.request('/', { headers }, { incoming: { socket: { remoteAddress } } })).text();
  };

  it('is the address the trusted proxy appended, not what the client wrote before it', async () => {
    expect(await via('10.0.0.5', '198.51.100.1')).toBe('198.51.100.1');
    expect(await via('10.0.0.5', '6.6.6.6, 198.51.100.1')).toBe('198.51.100.1');
    expect(await via('::ffff:10.0.0.5', '198.51.100.1')).toBe('198.51.100.1');
  });

  it('skips a chain of trusted proxies, ranges included, and counts an IPv6 client as its /64', async () => {
    expect(await via('10.0.0.5', '6.6.6.6, 198.51.100.1, 192.168.3.4')).toBe('198.51.100.1');
    expect(await via('fd00::1', '2001:db8:1:2::99')).toBe('2001:db8:1:2::/64');
  });

  it('never reads X-Forwarded-For from a socket that is not a trusted proxy', async () => {
    expect(await via('203.0.113.7', '198.51.100.1')).toBe('203.0.113.7');
  });

  it('is the proxy itself when the header is missing or its last hop is not an address', async () => {
    expect(await via('10.0.0.5')).toBe('10.0.0.5');
    expect(await via('10.0.0.5', '198.51.100.1, not-an-address')).toBe('10.0.0.5');
    expect(await via('10.0.0.5', 'not-an-address, 192.168.3.4')).toBe('192.168.3.4');
  });
});

describe('parseTrustedProxies', () => {
  it('takes addresses and CIDR ranges, and names a bad entry', () => {
    expect(parseTrustedProxies(' 10.0.0.5, 10.0.0.0/8 ,fd00::/8,')).toEqual({
      entries: ['10.0.0.5', '10.0.0.0/8', 'fd00::/8'],
    });
    expect(parseTrustedProxies('')).toEqual({ entries: [] });
    for (const bad of ['proxy.local', '10.0.0.0/33', 'fd00::/129', '10.0.0.1/8/2', '10.0.0.0/x'])
      expect(parseTrustedProxies(`10.0.0.5, ${bad}`)).toEqual({ problem: expect.stringContaining(`"${bad}"`) });
  });
});
