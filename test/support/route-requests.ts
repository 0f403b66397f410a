import { randomUUID } from 'node:crypto';
import type { RouteRule } from '../../server/http/route-table.ts';
import { ADMIN } from './users.ts';

/** A concrete URL path for a route pattern: each parameter gets a well-formed value, so only the guard can refuse. */
export function samplePath(pattern: string): string {
  return pattern
    .replace(':id{.+}', `order-without-dispatch:${randomUUID()}`)
    .replace(':orderId', randomUUID())
    .replace(/\/api\/(actions|bulk-actions)\/:id/, (_m, route) => `/api/${route}/${randomUUID()}`)
    .replace('/api/dead-letters/:id', '/api/dead-letters/1')
    .replace('/api/findings/:id/actions', `/api/findings/order-without-dispatch:${randomUUID()}/actions`)
    .replace('*', 'no-such-bundle.js');
}

/** A body each state-changing route would accept, so a refusal is the guard's and not the validator's. */
export function sampleBody(rule: RouteRule): unknown {
  switch (`${rule.method} ${rule.path}`) {
    case 'POST /api/session':
      return { name: ADMIN.name, password: ADMIN.password };
    case 'POST /api/users':
      return { name: `matrix-${randomUUID().slice(0, 8)}`, role: 'viewer', password: 'a-long-enough-password' };
    case 'POST /api/findings/:id/actions':
      return { action: 'redeliver', reason: 'route matrix: would redeliver' };
    case 'POST /api/bulk-actions':
      return { action: 'redeliver', reason: 'route matrix', findingIds: [], dryRun: true };
    default:
      return {};
  }
}

/** A request for `rule` as a script would send it (JSON, idempotency key), plus `headers`. */
export function requestFor(rule: RouteRule, headers: Record<string, string> = {}, body?: RequestInit['body']): Request {
  const isWrite = rule.method !== 'GET';
  return new Request(`http://localhost${samplePath(rule.path)}`, {
    method: rule.method,
    headers: {
      ...(isWrite ? { 'content-type': 'application/json', 'idempotency-key': randomUUID() } : {}),
      ...headers,
    },
    ...(isWrite ? { body: body === undefined ? JSON.stringify(sampleBody(rule)) : body } : {}),
  });
}
