import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { FIXTURE_ENV, fileWithFlow } from '../support/watched-system.ts';

describe('loadConfig', () => {
  it('defaults to the local services and the reference system names', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8080,
      pollIntervalMs: 5_000,
      watched: {
        databases: { orders: { url: 'postgres://postgres@127.0.0.1:5432/orders' } },
        flow: {
          order: { table: 'orders', updatedAt: 'updated_at' },
          dispatch: { orderId: 'order_id', cancelledStatuses: ['cancelled'] },
        },
      },
    });
  });

  it('maps a team’s own table and column names from RECON_MAPPING', () => {
    const config = loadConfig({ RECON_MAPPING: '{"orders":{"table":"shop.purchase_orders","id":"order_no"}}' });
    expect(config.watched.flow.order).toMatchObject({
      table: 'shop.purchase_orders',
      id: 'order_no',
      createdAt: 'created_at',
    });
  });

  it('refuses an identifier that is not plain SQL and names the variable', () => {
    expect(() => loadConfig({ RECON_MAPPING: '{"orders":{"table":"orders; drop table x"}}' })).toThrow(/RECON_MAPPING/);
  });

  it('names the variable of a bad number', () => {
    expect(() => loadConfig({ RECON_GRACE_SECONDS: 'soon' })).toThrow(/RECON_GRACE_SECONDS/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
  });

  it('names the variable of a bad URL', () => {
    expect(() => loadConfig({ ORDERS_DATABASE_URL: 'mysql://x' })).toThrow(/ORDERS_DATABASE_URL/);
  });

  it('refuses a bad first admin, and a bad web setting, naming the variable', () => {
    const password = 'long-enough-password';
    expect(() => loadConfig({ RECON_ADMIN_USER: 'bad name', RECON_ADMIN_PASSWORD: password })).toThrow(
      /RECON_ADMIN_USER "bad name": letters, digits/,
    );
    expect(() => loadConfig({ RECON_ADMIN_USER: 'ok', RECON_ADMIN_PASSWORD: 'short' })).toThrow(/at least 12/);
    expect(() => loadConfig({ RECON_ADMIN_USER: 'ok' })).toThrow(/go together/);
    expect(() => loadConfig({ RECON_SECURE_COOKIES: 'maybe' })).toThrow(/RECON_SECURE_COOKIES/);
    expect(() => loadConfig({ RECON_METRICS_TOKEN: 'short' })).toThrow(/RECON_METRICS_TOKEN/);
    expect(() => loadConfig({ RECON_SESSION_HOURS: '0' })).toThrow(/RECON_SESSION_HOURS/);
    expect(loadConfig({ RECON_ADMIN_USER: 'ops@example.com', RECON_ADMIN_PASSWORD: password }).admin).toEqual({
      name: 'ops@example.com',
      password,
    });
  });

  it('listens on 127.0.0.1 and knows itself by its loopback URLs unless told otherwise', () => {
    const config = loadConfig({ PORT: '9090' });
    expect(config.host).toBe('127.0.0.1');
    expect(config.web.publicOrigins).toEqual(['http://127.0.0.1:9090', 'http://localhost:9090', 'http://[::1]:9090']);
    expect(loadConfig({ RECON_HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({ RECON_HOST: '::' }).host).toBe('::');
    const told = loadConfig({ RECON_PUBLIC_URL: 'https://Recon.example.com/, http://10.1.2.3:8080' });
    expect(told.web.publicOrigins).toEqual(['https://recon.example.com', 'http://10.1.2.3:8080']);
  });

  it('sets Secure cookies when Recon is known only by https URLs (a TLS proxy may not send X-Forwarded-Proto)', () => {
    expect(loadConfig({}).web.secureCookies).toBe('auto');
    expect(loadConfig({ RECON_PUBLIC_URL: 'https://recon.example.com' }).web.secureCookies).toBe(true);
    const mixed = loadConfig({ RECON_PUBLIC_URL: 'https://recon.example.com, http://10.1.2.3:8080' });
    expect(mixed.web.secureCookies).toBe('auto');
    const told = { RECON_PUBLIC_URL: 'https://recon.example.com', RECON_SECURE_COOKIES: 'false' };
    expect(loadConfig(told).web.secureCookies).toBe(false);
  });

  it('takes the trusted reverse proxies from RECON_TRUSTED_PROXIES, naming the variable of a bad entry', () => {
    expect(loadConfig({}).web.trustedProxies).toEqual([]);
    expect(loadConfig({ RECON_TRUSTED_PROXIES: '10.0.0.5, fd00::/8' }).web.trustedProxies).toEqual([
      '10.0.0.5',
      'fd00::/8',
    ]);
    expect(() => loadConfig({ RECON_TRUSTED_PROXIES: '10.0.0.5, proxy.local' })).toThrow(
      /RECON_TRUSTED_PROXIES: "proxy.local" is not an IP address/,
    );
  });

  it('refuses a bad RECON_PUBLIC_URL or RECON_HOST, naming the variable and never echoing a password', () => {
    const bad = [
      'recon.example.com',
      'ftp://recon.example.com',
      'https://recon.example.com/recon',
      'https://recon.example.com/?tab=1',
      'https://ops:s3cret@recon.example.com',
      ' , ',
    ];
    for (const value of bad) {
      expect(() => loadConfig({ RECON_PUBLIC_URL: value }), value).toThrow(/RECON_PUBLIC_URL/);
      expect(() => loadConfig({ RECON_PUBLIC_URL: value }), value).not.toThrow(/s3cret/);
    }
    for (const value of ['not a host', 'http://0.0.0.0', ''])
      expect(() => loadConfig({ RECON_HOST: value }), value).toThrow(/RECON_HOST/);
  });

  it('refuses a bad % escape in any URL variable at start, naming it and never echoing the password', () => {
    const urls = {
      RABBITMQ_URL: 'amqp://gu%zzest:s3cret@127.0.0.1:5672',
      RABBITMQ_MANAGEMENT_URL: 'http://guest:s3cret%zz@127.0.0.1:15672',
      ORDERS_DATABASE_URL: 'postgres://postgres:s3cret@127.0.0.1:5432/ord%zzers',
      DISPATCH_DATABASE_URL: 'postgres://post%gres:s3cret@127.0.0.1:5432/dispatch',
      RECON_DATABASE_URL: 'postgres://postgres:s3cret%@127.0.0.1:5432/recon',
    };
    for (const [name, value] of Object.entries(urls)) {
      let message = '';
      try {
        loadConfig({ [name]: value });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, name).toContain(name);
      expect(message, name).toMatch(/% escape/);
      expect(message, name).not.toContain('s3cret');
    }
  });

  it('sweeps every 120 s by default when a side has no update time, and as told when told', () => {
    const file = fileWithFlow('dispatch:\n  updatedAt: null');
    const withFile = (env: Record<string, string>) =>
      loadConfig({ ...FIXTURE_ENV, RECON_CONFIG: 'recon.yaml', ...env }, (path) =>
        path === 'recon.yaml' ? file : undefined,
      );
    expect(loadConfig({}).sweepIntervalMs).toBe(600_000);
    expect(withFile({}).sweepIntervalMs).toBe(120_000);
    expect(withFile({ RECON_SWEEP_INTERVAL_SECONDS: '900' }).sweepIntervalMs).toBe(900_000);
  });
});
