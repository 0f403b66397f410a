import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientAddress } from '../../server/http/client-address.ts';

// The credential limits count per client address: the socket's, with an IPv6 host counted as its /64.

const app = new Hono().get('/', (c) => c.text(clientAddress(c)));
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
