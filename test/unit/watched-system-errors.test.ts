import { describe, expect, it } from 'vitest';
import { WatchedSystemError } from '../../server/watched-system/issues.ts';
import { FIXTURE_ENV, fileWithFlow, issuesOf, loadText } from '../support/watched-system.ts';

const refused = (text: string, env: Record<string, string> = FIXTURE_ENV) => issuesOf(() => loadText(text, env));

describe('a watched-system file that is wrong', () => {
  it('names an unknown key by its full path, with the key it probably meant', () => {
    expect(refused(fileWithFlow('order:\n  updatedAtt: changed_at'))).toEqual([
      { path: 'flows[0].order.updatedAtt', message: 'unknown key; did you mean "updatedAt"?' },
    ]);
  });

  it('suggests keys inside a list, a map of databases and a column-or-JSON source alike', () => {
    const text = fileWithFlow(
      'outbox: { preset: cap, orderId: { colum: OrderNo } }\ndeadLetterQueues:\n  - { queue: a.dlq, stlye: masstransit }',
    ).replace('orders: { url:', 'orders: { timezone: UTC, url:');
    expect(refused(text)).toEqual([
      { path: 'databases.orders.timezone', message: 'unknown key; did you mean "timeZone"?' },
      { path: 'flows[0].outbox.orderId.colum', message: 'unknown key; did you mean "column"?' },
      { path: 'flows[0].deadLetterQueues[0].stlye', message: 'unknown key; did you mean "style"?' },
    ]);
  });

  it('lists the keys it knows when nothing is close', () => {
    expect(refused(`${fileWithFlow('')}\nbananas: 3`)).toEqual([
      { path: 'bananas', message: 'unknown key; expected one of "databases", "broker", "flows"' },
    ]);
  });

  it('names a missing variable and where it was used', () => {
    const { SHOP_DB: _, ...withoutShopDb } = FIXTURE_ENV;
    const text = fileWithFlow('').replace(`\${ORDERS_DATABASE_URL}`, `\${SHOP_DB}`);
    expect(refused(text, withoutShopDb)).toEqual([{ path: 'databases.orders.url', message: `\${SHOP_DB} is not set` }]);
  });

  it('replaces a variable anywhere in a string', () => {
    const text = fileWithFlow(`message: { exchange: "\${STAGE}.orders" }`);
    expect(loadText(text, { ...FIXTURE_ENV, STAGE: 'prod' }).flow.message.exchange).toBe('prod.orders');
  });

  it('says what type was expected, and that a key is required', () => {
    expect(refused(fileWithFlow('order: { table: [orders] }\ndispatch: { cancelledStatuses: [void, true] }'))).toEqual([
      { path: 'flows[0].order.table', message: 'expected text, got a list' },
      { path: 'flows[0].dispatch.cancelledStatuses[1]', message: 'expected text or a number, got true or false' },
    ]);
    expect(refused('databases: { orders: {} }\nbroker: { url: "amqp://mq" }\nflows: [{}]')).toEqual([
      { path: 'databases.orders.url', message: 'required (expected text)' },
      { path: 'broker.management', message: 'required (expected text)' },
    ]);
  });

  it('says clearly that this version watches one flow', () => {
    expect(refused(`${fileWithFlow('')}\n  - name: refunds`)).toEqual([
      { path: 'flows', message: 'this version watches exactly one flow; got 2' },
    ]);
    expect(refused(fileWithFlow('').replace(/flows:[\s\S]*/, 'flows: []'))).toEqual([
      { path: 'flows', message: 'this version watches exactly one flow; got 0' },
    ]);
  });

  it('refuses a time zone that is not an IANA zone, and a bare offset PostgreSQL would read backwards', () => {
    for (const zone of ['Mars/Olympus_Mons', '"+08:00"'])
      expect(refused(fileWithFlow('').replace('orders: { url:', `orders: { timeZone: ${zone}, url:`))).toEqual([
        { path: 'databases.orders.timeZone', message: 'expected an IANA time zone, e.g. Asia/Shanghai or UTC' },
      ]);
  });

  it('refuses a JSON path it cannot read, naming the key', () => {
    expect(refused(fileWithFlow('message: { orderIdPath: orderId }'))).toEqual([
      { path: 'flows[0].message.orderIdPath', message: 'a JSON path starts with $, got "orderId"' },
    ]);
  });

  it('refuses a flow name that is not [a-z0-9-]+ and an identifier holding a control character', () => {
    const text = fileWithFlow('order: { id: "order\\nid" }').replace('name: orders', 'name: Orders');
    expect(refused(text).map((issue) => issue.path)).toEqual(['flows[0].name', 'flows[0].order.id']);
  });

  it('takes any other text as an identifier, case and spaces and schema included', () => {
    const order = loadText(fileWithFlow('order: { id: "Order No", createdAt: Placed }')).flow.order;
    expect(order).toMatchObject({ id: 'Order No', createdAt: 'Placed' });
  });

  it('asks for a database that databases names, suggesting the nearest', () => {
    expect(refused(fileWithFlow('order: { database: order }'))).toEqual([
      { path: 'flows[0].order.database', message: '"order" is not a key of databases; did you mean "orders"?' },
    ]);
    const renamed = fileWithFlow('dispatch: { database: shop }').replace('orders: {', 'shop: {');
    expect(refused(renamed)).toEqual([
      {
        path: 'flows[0].order.database',
        message: 'required: databases has no "orders" (the reference system\'s name); name one of "shop", "dispatch"',
      },
    ]);
  });

  it("asks for what the reference system's defaults cannot say about a table of the system's own", () => {
    const issues = refused(
      fileWithFlow('order: { table: purchase_order }\ndispatch: { table: delivery, status: state }'),
    );
    expect(issues.map((issue) => issue.path)).toEqual([
      'flows[0].order.id',
      'flows[0].order.createdAt',
      'flows[0].order.updatedAt',
      'flows[0].dispatch.id',
      'flows[0].dispatch.orderId',
      'flows[0].dispatch.cancelledStatuses',
      'flows[0].dispatch.createdAt',
      'flows[0].dispatch.updatedAt',
      'flows[0].outbox',
      'flows[0].inbox',
      'flows[0].message',
      'flows[0].deadLetterQueues',
    ]);
    expect(issues[0]?.message).toBe(
      'required: flows[0].order.table is "purchase_order", not the reference system\'s "orders"',
    );
    expect(issues[2]?.message).toMatch(/null if the table has no such column/);
  });

  it('reports every problem in one error whose message lists them all', () => {
    const text = fileWithFlow('order: { updatedAtt: x }\nmessage: { orderIdPath: id }');
    expect(() => loadText(text)).toThrow(WatchedSystemError);
    expect(() => loadText(text)).toThrow(
      'recon.yaml: 2 problems with the watched system:\n' +
        '  flows[0].order.updatedAtt: unknown key; did you mean "updatedAt"?\n' +
        '  flows[0].message.orderIdPath: a JSON path starts with $, got "id"',
    );
  });

  it('points at the line of a YAML syntax error', () => {
    expect(refused('databases:\n  orders: { url: x\nbroker: {}')).toEqual([
      { path: '', message: expect.stringMatching(/^YAML: .*line \d+, column \d+/) },
    ]);
  });
});
