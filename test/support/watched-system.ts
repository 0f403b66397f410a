import { readFileSync } from 'node:fs';
import { type ConfigIssue, WatchedSystemError } from '../../server/watched-system/issues.ts';
import { loadWatchedSystem } from '../../server/watched-system/load-watched-system.ts';
import type { WatchedSystem } from '../../server/watched-system/model.ts';

/** Every variable the fixtures under test/fixtures/watched-system name. */
export const FIXTURE_ENV = {
  ORDERS_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/orders',
  DISPATCH_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/dispatch',
  RABBITMQ_URL: 'amqp://guest:guest@127.0.0.1:5672',
  RABBITMQ_MANAGEMENT_URL: 'http://guest:guest@127.0.0.1:15672',
  SHOP_DB: 'postgres://shop:secret@db.internal:5432/shop',
  DELIVERY_DB: 'postgres://delivery:secret@db.internal:5432/delivery',
  FULFILMENT_DB: 'postgres://fulfilment:secret@db.internal:5432/fulfilment',
  SHIPPING_DB: 'postgres://shipping:secret@db.internal:5432/shipping',
};

/** The top of a file around one flow's YAML (indented as a list item's keys). */
export function fileWithFlow(flow: string): string {
  return `databases:
  orders: { url: "\${ORDERS_DATABASE_URL}" }
  dispatch: { url: "\${DISPATCH_DATABASE_URL}" }
broker: { url: "\${RABBITMQ_URL}", management: "\${RABBITMQ_MANAGEMENT_URL}" }
flows:
  - name: orders
${flow
  .split('\n')
  .map((line) => (line.trim() ? `    ${line}` : line))
  .join('\n')}`;
}

export function loadText(text: string, env: Record<string, string> = FIXTURE_ENV): WatchedSystem {
  return loadWatchedSystem({ ...env, RECON_CONFIG: 'recon.yaml' }, (path) =>
    path === 'recon.yaml' ? text : undefined,
  );
}

export function loadFixture(name: string): WatchedSystem {
  return loadText(readFileSync(new URL(`../fixtures/watched-system/${name}.yaml`, import.meta.url), 'utf8'));
}

/** The issues loading throws, so a test can assert each one's path and words. */
export function issuesOf(load: () => unknown): ConfigIssue[] {
  try {
    load();
  } catch (error) {
    if (error instanceof WatchedSystemError) return error.issues;
    throw error;
  }
  throw new Error('expected the watched system to be refused, and it loaded');
}
