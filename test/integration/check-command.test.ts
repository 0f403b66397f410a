import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../demo/migrate.ts';
import type { CheckItem, CheckReport } from '../../server/check/report.ts';
import { createIsolatedEnv, type IsolatedEnv, management } from '../support/isolated-env.ts';

// `npm run check` as a user runs it: a real process, a YAML file on disk, real PostgreSQL and RabbitMQ. The
// reference system's tables (demo/ migrations) make the complete system; a shop with a bigint order number, a
// varchar order reference and a `timestamp without time zone` makes the rest.

const run = promisify(execFile);
/** Trust authentication ignores it; it must still never be printed. */
const PASSWORD = 'Sup3r-s3cret-pw';

let env: IsolatedEnv;
let dir: string;
let pools: { orders: pg.Pool; dispatch: pg.Pool };
let files = 0;

const withPassword = (url: string) => {
  const parsed = new URL(url);
  parsed.password = PASSWORD;
  return parsed.toString();
};

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function check(yaml: string, args: string[] = [], extraEnv: Record<string, string> = {}): Promise<Result> {
  const file = join(dir, `recon-${files++}.yaml`);
  await writeFile(file, yaml);
  const result = await run('node', ['--import', 'tsx', 'server/check/main.ts', '--config', file, ...args], {
    env: {
      ...process.env,
      RECON_CONFIG: '',
      ORDERS_DATABASE_URL: withPassword(env.ordersDatabaseUrl),
      DISPATCH_DATABASE_URL: withPassword(env.dispatchDatabaseUrl),
      RABBITMQ_URL: env.rabbitmqUrl,
      RABBITMQ_MANAGEMENT_URL: env.managementUrl,
      ...extraEnv,
    },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: Result) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
  return result;
}

async function checkJson(yaml: string, extraEnv: Record<string, string> = {}) {
  const result = await check(yaml, ['--json'], extraEnv);
  return { code: result.code, report: JSON.parse(result.stdout) as CheckReport };
}

/** The items of some kinds as comparable rows: what a line says, without its wording. */
const rows = (report: CheckReport, kinds: string[]) =>
  report.items
    .filter((item) => kinds.includes(item.kind))
    .map((item) => [item.section, item.kind, item.name, item.status, item.sqlType ?? null, item.configPaths]);

const find = (report: CheckReport, predicate: (item: CheckItem) => boolean) => {
  const found = report.items.filter(predicate);
  expect(found).toHaveLength(1);
  return found[0]!;
};

const REFERENCE_YAML = `
databases:
  orders: { url: "\${ORDERS_DATABASE_URL}" }
  dispatch: { url: "\${DISPATCH_DATABASE_URL}" }
broker:
  url: "\${RABBITMQ_URL}"
  management: "\${RABBITMQ_MANAGEMENT_URL}"
  watchedQueues: [dispatch.order-created, dispatch.order-created.dlq]
flows:
  - name: orders
    order: { database: orders, table: orders, id: id, createdAt: created_at, updatedAt: updated_at, status: status }
    outbox: { preset: timestamps, database: orders, table: outbox }
    message: { exchange: orders, routingKey: order.created, orderIdPath: $.orderId }
    dispatch: { database: dispatch, table: dispatches, id: id, orderId: order_id, createdAt: created_at }
    inbox: { preset: table, database: dispatch, table: processed_messages }
    deadLetterQueues: [{ queue: dispatch.order-created.dlq }]
`;

const shopYaml = ({ updatedAt = 'null', exchange = 'shop.events', needsDispatch = "fulfilment <> 'PICKUP'" } = {}) => `
databases:
  shop: { url: "\${ORDERS_DATABASE_URL}", timeZone: Asia/Shanghai }
  delivery: { url: "\${DISPATCH_DATABASE_URL}" }
broker: { url: "\${RABBITMQ_URL}", management: "\${RABBITMQ_MANAGEMENT_URL}", watchedQueues: [delivery.order-created] }
flows:
  - name: orders
    order:
      database: shop
      table: purchase_order
      id: order_no
      createdAt: placed_at
      updatedAt: ${updatedAt}
      status: state
      needsDispatch: "${needsDispatch}"
    outbox: null
    message: { exchange: ${exchange}, routingKey: order.created, orderIdPath: $.orderNo }
    dispatch:
      database: delivery
      table: delivery
      id: id
      orderId: order_ref
      status: state
      cancelledStatuses: [CANCELLED]
      createdAt: created_at
      updatedAt: null
    inbox: null
    deadLetterQueues: []
`;

beforeAll(async () => {
  env = await createIsolatedEnv('check_command');
  dir = await mkdtemp(join(tmpdir(), 'recon-check-'));
  pools = {
    orders: new pg.Pool({ connectionString: env.ordersDatabaseUrl, max: 1 }),
    dispatch: new pg.Pool({ connectionString: env.dispatchDatabaseUrl, max: 1 }),
  };
  await Promise.all([migrate(pools.orders, 'orders'), migrate(pools.dispatch, 'dispatch')]);
  await pools.orders.query(`CREATE TABLE purchase_order (order_no bigint PRIMARY KEY, placed_at timestamp NOT NULL,
    state text NOT NULL, fulfilment text NOT NULL)`);
  await pools.dispatch.query(`CREATE TABLE delivery (id bigserial PRIMARY KEY, order_ref varchar(32) NOT NULL,
    state text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
    CREATE INDEX delivery_created ON delivery (created_at, id)`);
  const vhost = encodeURIComponent(env.vhost);
  await management('PUT', `/api/exchanges/${vhost}/orders`, { type: 'topic', durable: true });
  await management('PUT', `/api/exchanges/${vhost}/shop.events`, { type: 'topic', durable: true });
  for (const queue of ['dispatch.order-created', 'dispatch.order-created.dlq'])
    await management('PUT', `/api/queues/${vhost}/${queue}`, { durable: true });
});

afterAll(async () => {
  await Promise.all(Object.values(pools ?? {}).map((pool) => pool.end()));
  await env?.destroy();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('npm run check', () => {
  it('passes a complete system, listing every table and column with its type, the indexes and the features', async () => {
    const { code, report } = await checkJson(REFERENCE_YAML);
    expect(report.items.filter((item) => item.status !== 'ok' && item.kind !== 'feature')).toEqual([]);
    expect(code).toBe(0);
    expect(report).toMatchObject({ errors: 0, warnings: 0, exitCode: 0 });
    const order = (name: string, type: string, ...paths: string[]) => ['order', 'column', name, 'ok', type, paths];
    const outbox = (name: string, type: string, ...paths: string[]) => ['outbox', 'column', name, 'ok', type, paths];
    const dispatch = (name: string, type: string, ...paths: string[]) => [
      'dispatch',
      'column',
      name,
      'ok',
      type,
      paths,
    ];
    const o = 'flows[0].order';
    const x = 'flows[0].outbox';
    const d = 'flows[0].dispatch';
    const body = 'flows[0].message.body';
    expect(rows(report, ['table', 'column'])).toEqual([
      ['order', 'table', 'orders', 'ok', null, [`${o}.table`]],
      order('id', 'uuid', `${o}.id`, `${body}.orderId`),
      order('created_at', 'timestamp with time zone', `${o}.createdAt`, `${body}.createdAt`),
      order('updated_at', 'timestamp with time zone', `${o}.updatedAt`),
      order('status', 'text', `${o}.status`),
      order('customer_id', 'text', `${o}.snapshot.columns.customer_id`, `${body}.customerId`),
      order('items', 'jsonb', `${o}.snapshot.columns.items`, `${body}.items`),
      order('total_cents', 'integer', `${o}.snapshot.columns.total_cents`, `${body}.totalCents`),
      ['outbox', 'table', 'outbox', 'ok', null, [`${x}.table`]],
      outbox('message_id', 'uuid', `${x}.messageId`),
      outbox('aggregate_id', 'uuid', `${x}.orderId`),
      outbox('created_at', 'timestamp with time zone', `${x}.createdAt`),
      outbox('event_type', 'text', `${x}.eventType`),
      outbox('published_at', 'timestamp with time zone', `${x}.publishedAt`, `${x}.markPublished.published_at`),
      outbox('attempts', 'integer', `${x}.attempts`),
      outbox('last_error', 'text', `${x}.lastError`),
      outbox('payload', 'jsonb', `${x}.payload`),
      outbox('confirmed_at', 'timestamp with time zone', `${x}.confirmedAt`, `${x}.markPublished.confirmed_at`),
      ['dispatch', 'table', 'dispatches', 'ok', null, [`${d}.table`]],
      dispatch('id', 'bigint', `${d}.id`),
      dispatch('order_id', 'uuid', `${d}.orderId`),
      dispatch('message_id', 'uuid', `${d}.messageId`),
      dispatch('status', 'text', `${d}.status`),
      dispatch('created_at', 'timestamp with time zone', `${d}.createdAt`),
      dispatch('updated_at', 'timestamp with time zone', `${d}.updatedAt`),
      dispatch('order_snapshot', 'jsonb', `${d}.orderSnapshot`),
      dispatch('courier', 'text', `${d}.courier`),
      ['inbox', 'table', 'processed_messages', 'ok', null, ['flows[0].inbox.table']],
      ['inbox', 'column', 'message_id', 'ok', 'uuid', ['flows[0].inbox.messageId']],
    ]);
    const served = report.items
      .filter((item) => item.kind === 'index')
      .map((item) => [item.table, item.name, item.detail.split('served by ')[1]]);
    expect(served).toEqual([
      ['orders', '(id)', 'orders_pkey'],
      ['orders', '(updated_at, id)', 'orders_updated_at_id'],
      ['outbox', '(created_at)', 'outbox_unconfirmed_created'],
      ['outbox', '(message_id)', 'outbox_message_id_key'],
      ['outbox', '(aggregate_id)', 'outbox_aggregate'],
      ['dispatches', '(order_id)', 'dispatches_order_id'],
      ['dispatches', '(updated_at, id)', 'dispatches_updated_at_id'],
      ['processed_messages', '(message_id)', 'processed_messages_pkey'],
    ]);
    expect(rows(report, ['database', 'broker', 'vhost', 'exchange', 'queue']).map((row) => row.slice(1, 4))).toEqual([
      ['database', 'orders', 'ok'],
      ['database', 'dispatch', 'ok'],
      ['broker', 'AMQP', 'ok'],
      ['broker', 'management API', 'ok'],
      ['vhost', env.vhost, 'ok'],
      ['exchange', 'orders', 'ok'],
      ['queue', 'dispatch.order-created', 'ok'],
      ['queue', 'dispatch.order-created.dlq', 'ok'],
    ]);
    const features = report.items.filter((item) => item.kind === 'feature').map((item) => [item.name, item.status]);
    expect(features).toEqual([
      ['incremental-orders', 'on'],
      ['incremental-dispatches', 'on'],
      ['needs-dispatch', 'off'],
      ['stuck-outbox', 'on'],
      ['republish', 'on'],
      ['redeliver', 'on'],
      ['make-up-order', 'on'],
      ['cancel-dispatch', 'on'],
      ['inbox', 'on'],
      ['dead-letters', 'on'],
      ['dispatch-message', 'on'],
      ['courier', 'on'],
      ['time-zone:orders', 'on'],
      ['time-zone:dispatch', 'on'],
    ]);

    const text = await check(REFERENCE_YAML);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('  ok       column order_id: uuid [flows[0].dispatch.orderId]');
    expect(text.stdout).toContain('  ok       index (updated_at, id) [flows[0].order.updatedAt, flows[0].order.id]');
    expect(text.stdout).toContain('  off      feature needs-dispatch — flows[0].order.needsDispatch is not set');
    expect(text.stdout).toMatch(/\nall is well: exit 0\.\n$/);
  });

  it('reports a missing index as a warning with the CREATE INDEX that serves it, and exits 0', async () => {
    const { code, report } = await checkJson(shopYaml());
    expect(code).toBe(0);
    expect(
      report.items.filter((item) => item.status === 'warn').map((item) => [item.kind, item.name, item.fix]),
    ).toEqual([
      ['index', '(placed_at, order_no)', 'CREATE INDEX CONCURRENTLY ON "purchase_order" ("placed_at", "order_no");'],
      ['index', '(order_ref)', 'CREATE INDEX CONCURRENTLY ON "delivery" ("order_ref");'],
      ['queue', 'delivery.order-created', undefined],
    ]);
    expect(report).toMatchObject({ errors: 0, warnings: 3, exitCode: 0 });
    const placedAt = find(report, (item) => item.kind === 'column' && item.name === 'placed_at');
    expect(placedAt).toMatchObject({ status: 'ok', sqlType: 'timestamp without time zone' });
    expect(placedAt.detail).toContain('read as Asia/Shanghai time (databases.shop.timeZone)');
    const reference = find(report, (item) => item.kind === 'column' && item.name === 'order_ref');
    expect(reference).toMatchObject({ status: 'ok', sqlType: 'character varying(32)' });
    expect(reference.detail).toContain("compared with the orders' integer ids");

    const text = await check(shopYaml());
    expect(text.stdout).toContain(
      '  warn     index (order_ref) [flows[0].dispatch.orderId] — findDispatchesByOrderIds',
    );
    expect(text.stdout).toContain('             run: CREATE INDEX CONCURRENTLY ON "delivery" ("order_ref");\n');
    expect(text.stdout).toContain('Warnings do not fail the check');
    expect((await check(shopYaml(), ['--strict'])).code).toBe(1);

    // The statements it prints are the ones that serve: run them, and the check finds the indexes.
    await pools.orders.query(report.items.find((item) => item.name === '(placed_at, order_no)')!.fix!);
    await pools.dispatch.query(report.items.find((item) => item.name === '(order_ref)')!.fix!);
    const after = (await checkJson(shopYaml())).report;
    expect(
      after.items
        .filter((item) => item.kind === 'index')
        .map((item) => [item.name, item.status, item.detail.split('served by ')[1]]),
    ).toEqual([
      ['(order_no)', 'ok', 'purchase_order_pkey'],
      ['(placed_at, order_no)', 'ok', 'purchase_order_placed_at_order_no_idx'],
      ['(order_ref)', 'ok', 'delivery_order_ref_idx'],
      ['(created_at, id)', 'ok', 'delivery_created'],
    ]);
  });

  it('fails on a missing column, naming the table and the config path', async () => {
    const { code, report } = await checkJson(shopYaml({ updatedAt: 'last_modified_at' }));
    expect(code).toBe(1);
    expect(report.items.filter((item) => item.status === 'missing' || item.status === 'error')).toEqual([
      {
        section: 'order',
        kind: 'column',
        status: 'missing',
        name: 'last_modified_at',
        configPaths: ['flows[0].order.updatedAt'],
        detail: 'table purchase_order has no column "last_modified_at"',
        database: 'shop',
        table: 'purchase_order',
      },
    ]);
    const text = await check(shopYaml({ updatedAt: 'last_modified_at' }));
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(
      '  MISSING  column last_modified_at [flows[0].order.updatedAt] — table purchase_order has no column "last_modified_at"',
    );
    expect(text.stdout).toContain('1 problem (MISSING or ERROR)');
  });

  it('fails on a condition PostgreSQL cannot plan, and on an exchange the broker does not have', async () => {
    const { code, report } = await checkJson(
      shopYaml({ needsDispatch: "fulfillment <> 'PICKUP'", exchange: 'shop.no-such-exchange' }),
    );
    expect(code).toBe(1);
    expect(rows(report, ['condition', 'exchange']).filter((row) => row[3] !== 'ok')).toEqual([
      ['order', 'condition', "fulfillment <> 'PICKUP'", 'error', null, ['flows[0].order.needsDispatch']],
      ['broker', 'exchange', 'shop.no-such-exchange', 'missing', null, ['flows[0].message.exchange']],
    ]);
    const condition = find(report, (item) => item.kind === 'condition');
    expect(condition.detail).toContain('column "fulfillment" does not exist');
  });

  it('fails on a bad file with every issue at its path and the nearest valid key', async () => {
    const bad = shopYaml()
      .replace('updatedAt: null', 'updatedAtt: null')
      .replace('timeZone: Asia/Shanghai', 'timeZone: Mars/Olympus');
    const text = await check(bad);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('  ERROR    flows[0].order.updatedAtt — unknown key; did you mean "updatedAt"?');
    expect(text.stdout).toContain('  ERROR    databases.shop.timeZone — expected an IANA time zone');
    const usage = await check(bad, ['--bogus']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^usage: npm run check/m);
    const { report } = await checkJson(bad);
    expect(report.items.map((item) => [item.kind, item.status, item.configPaths])).toEqual([
      ['config', 'error', ['databases.shop.timeZone']],
      ['config', 'error', ['flows[0].order.updatedAtt']],
    ]);
  });

  it('fails on a --config file that does not exist, naming the option', async () => {
    const missing = join(dir, 'no-such-recon.yaml');
    const result = await run('node', ['--import', 'tsx', 'server/check/main.ts', '--config', missing], {
      env: { ...process.env, RECON_CONFIG: '' },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: Result) => ({ code: error.code, stderr: error.stderr }),
    );
    expect(result).toEqual({ code: 1, stderr: `--config names ${missing}, which does not exist\n` });
  });

  it('fails when the database or the broker does not answer, saying how to start them', async () => {
    const { code, report } = await checkJson(shopYaml(), {
      DISPATCH_DATABASE_URL: `postgres://postgres:${PASSWORD}@127.0.0.1:1/nowhere`,
      RABBITMQ_MANAGEMENT_URL: 'http://guest:guest@127.0.0.1:1',
    });
    expect(code).toBe(1);
    expect(rows(report, ['database', 'table', 'broker', 'vhost']).map((row) => row.slice(1, 4))).toEqual([
      ['database', 'shop', 'ok'],
      ['database', 'delivery', 'error'],
      ['table', 'purchase_order', 'ok'],
      ['table', 'delivery', 'info'],
      ['broker', 'AMQP', 'ok'],
      ['broker', 'management API', 'error'],
      ['vhost', env.vhost, 'info'],
    ]);
    const database = find(report, (item) => item.kind === 'database' && item.name === 'delivery');
    expect(database.detail).toMatch(
      /^postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/nowhere: not reachable \(.*ECONNREFUSED/,
    );
    expect(database.detail).toContain('npm run services');
    const api = find(report, (item) => item.name === 'management API');
    expect(api.detail).toMatch(/^http:\/\/guest:\*\*\*@127\.0\.0\.1:1\/?: cannot be read \(GET \/api\/overview failed/);
    expect(api.detail).toContain('npm run services');
  });

  it('never prints a password from a URL: reachable, unreachable, text or JSON', async () => {
    const unreachable = { DISPATCH_DATABASE_URL: `postgres://postgres:${PASSWORD}@127.0.0.1:1/nowhere` };
    const results = [
      await check(REFERENCE_YAML),
      await check(shopYaml(), ['--json'], unreachable),
      await check(shopYaml().replace('updatedAt: null', 'updatedAtt: null'), [], unreachable),
    ];
    const printed = results.flatMap((result) => [result.stdout, result.stderr]).join('\n');
    expect(printed).not.toContain(PASSWORD);
    expect(printed).not.toContain(':guest@');
    expect(printed).toContain('postgres://postgres:***@127.0.0.1:5432/');
    expect(printed).toContain('postgres://postgres:***@127.0.0.1:1/nowhere');
  });
});
