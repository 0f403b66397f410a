import type { MessageProperties } from 'amqplib';
import { describe, expect, it } from 'vitest';
import { REPLAY_COUNT_HEADER } from '../../reconcilers/kinds/dead-letter.ts';
import { toDeadLetterRecord } from '../../server/adapters/dead-letter-record.ts';
import { MAX_JSON_DEPTH } from '../../server/adapters/json-body.ts';
import { parseJsonPath } from '../../server/watched-system/json-path.ts';
import type { DeadLetterQueue } from '../../server/watched-system/model.ts';

const ORDER_ID = '8c1f2a3b-0d4e-4f50-8a6b-7c8d9e0f1a2b';
const QUEUE = 'dispatch.order-created.dlq';
const DLX_QUEUE: DeadLetterQueue = { queue: QUEUE, style: 'dead-letter-exchange' };
const MAX_BYTES = 1024;
const DIED_AT_SECONDS = 1_790_000_000;

const death = (overrides: Record<string, unknown> = {}) => ({
  count: 1,
  reason: 'rejected',
  queue: 'dispatch.order-created',
  time: { '!': 'timestamp', value: DIED_AT_SECONDS },
  exchange: 'orders',
  'routing-keys': ['order.created'],
  ...overrides,
});

/** A delivery as amqplib decodes it; loosely typed, because hostile headers do not follow amqplib's types. */
type LooseProperties = Record<string, unknown>;
function makeMessage(content: Buffer | string, properties: LooseProperties = {}) {
  return {
    content: typeof content === 'string' ? Buffer.from(content) : content,
    properties: { messageId: 'm-1', contentType: 'application/json', headers: { 'x-death': [death()] }, ...properties },
  } as unknown as { content: Buffer; properties: MessageProperties };
}

const options = (orderIdPath = '$.orderId', maxBodyBytes = MAX_BYTES) => ({
  maxBodyBytes,
  orderIdPath: parseJsonPath(orderIdPath),
});
const record = (content: Buffer | string, properties?: LooseProperties) =>
  toDeadLetterRecord(DLX_QUEUE, makeMessage(content, properties), options());

describe('a dead letter record', () => {
  it("takes the message id from the library's header when the message has no AMQP message-id (CAP)", () => {
    const message = makeMessage('{"OrderNo":1}', {
      messageId: undefined,
      headers: { 'x-death': [death()], 'cap-msg-id': '1753498113429504000', 'cap-msg-name': 'order.created' },
    });
    const withHeader = toDeadLetterRecord(DLX_QUEUE, message, { ...options(), messageIdHeader: 'cap-msg-id' });
    expect(withHeader).toMatchObject({ messageId: '1753498113429504000', dedupeKey: '1753498113429504000' });
    const without = toDeadLetterRecord(DLX_QUEUE, message, options());
    expect(without.messageId).toBeNull();
    expect(without.dedupeKey).toMatch(/^sha256:/);
    const withBoth = makeMessage('{}', { headers: { 'x-death': [death()], 'cap-msg-id': 'other' } });
    expect(toDeadLetterRecord(DLX_QUEUE, withBoth, { ...options(), messageIdHeader: 'cap-msg-id' }).messageId).toBe(
      'm-1',
    );
  });

  it('takes reason, count and origin from x-death, the order id from a JSON body', () => {
    const r = record(JSON.stringify({ orderId: ORDER_ID.toUpperCase(), items: [] }), {
      headers: { 'x-death': [death({ count: 3 })], 'x-first-death-queue': 'dispatch.order-created' },
    });
    expect(r).toMatchObject({
      queue: QUEUE,
      messageId: 'm-1',
      dedupeKey: 'm-1',
      reason: 'rejected',
      deathCount: 3,
      originExchange: 'orders',
      originRoutingKeys: ['order.created'],
      firstDeathQueue: 'dispatch.order-created',
      orderId: ORDER_ID,
      isParseable: true,
      bodyTruncated: false,
    });
    expect(r.xDeath).toEqual([
      {
        queue: 'dispatch.order-created',
        reason: 'rejected',
        count: 3,
        time: new Date(DIED_AT_SECONDS * 1000).toISOString(),
        exchange: 'orders',
        routingKeys: ['order.created'],
      },
    ]);
  });

  it('takes reason and count from the most recent death and the origin from the oldest', () => {
    const r = record('{}', {
      headers: {
        'x-death': [
          death({ queue: 'retry', reason: 'expired', exchange: 'orders.dlx', 'routing-keys': ['retry'], count: 2 }),
          death(),
        ],
      },
    });
    expect(r).toMatchObject({ reason: 'expired', deathCount: 2, originExchange: 'orders' });
    expect(r.originRoutingKeys).toEqual(['order.created']);
    expect(r.firstDeathQueue).toBe('dispatch.order-created');
  });

  it('keeps the true size of a body past the cap and does not parse half of it', () => {
    const big = JSON.stringify({ orderId: ORDER_ID, pad: 'x'.repeat(5000) });
    const r = record(big);
    expect(r).toMatchObject({
      bodySize: Buffer.byteLength(big),
      bodyTruncated: true,
      isParseable: false,
      orderId: null,
    });
    expect(r.body.length).toBe(MAX_BYTES);
  });

  it('flags text that is not JSON, invalid UTF-8, and nesting deeper than the limit as unparseable', () => {
    expect(record('hello <script>alert(1)</script>').isParseable).toBe(false);
    expect(record(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])).isParseable).toBe(false);
    const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    expect(toDeadLetterRecord(DLX_QUEUE, makeMessage(deep(10_000)), options('$.orderId', 100_000)).isParseable).toBe(
      false,
    );
    expect(record(deep(MAX_JSON_DEPTH)).isParseable).toBe(true);
    expect(record(deep(MAX_JSON_DEPTH + 1)).isParseable).toBe(false);
    // Brackets inside strings are not nesting.
    expect(record(JSON.stringify({ text: '['.repeat(500) })).isParseable).toBe(true);
  });

  it('reads orderId as an own property only: __proto__ is data and pollutes nothing', () => {
    const r = record(`{"__proto__":{"polluted":1,"orderId":"${ORDER_ID}"}}`);
    expect(r).toMatchObject({ isParseable: true, orderId: null });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(record(`{"__proto__":{"polluted":1},"orderId":"${ORDER_ID}"}`).orderId).toBe(ORDER_ID);
  });

  it('reads the order id at the flow path, into a nested body such as a MassTransit envelope', () => {
    const envelope = JSON.stringify({ messageId: 'mt-1', message: { orderId: 42, items: [] } });
    const r = toDeadLetterRecord(DLX_QUEUE, makeMessage(envelope), options('$.message.orderId'));
    expect(r).toMatchObject({ isParseable: true, orderId: '42' });
    const quoted = toDeadLetterRecord(
      DLX_QUEUE,
      makeMessage('{"order-ref":{"no":"A-1"}}'),
      options('$."order-ref".no'),
    );
    expect(quoted.orderId).toBe('A-1');
  });

  it('takes any key type: a uuid lower-cased, a bigint as a number or a string, text as written', () => {
    expect(record(JSON.stringify({ orderId: ORDER_ID.toUpperCase() })).orderId).toBe(ORDER_ID);
    expect(record('{"orderId":42}').orderId).toBe('42');
    expect(record('{"orderId":"42"}').orderId).toBe('42');
    expect(record('{"orderId":-7}').orderId).toBe('-7');
    expect(record('{"orderId":"PO-2024-Ab"}').orderId).toBe('PO-2024-Ab');
  });

  it('keeps a 19-digit snowflake id exact, where JSON.parse would round it', () => {
    const snowflake = '1234567890123456789';
    expect(String(JSON.parse(`{"orderId":${snowflake}}`).orderId)).not.toBe(snowflake);
    expect(record(`{"orderId":${snowflake},"total":12.5}`).orderId).toBe(snowflake);
    expect(record(`{"orderId":"${snowflake}"}`).orderId).toBe(snowflake);
    const envelope = `{"messageId":"mt-1","message":{"lines":[1.5,2],"orderId":${snowflake}}}`;
    expect(toDeadLetterRecord(DLX_QUEUE, makeMessage(envelope), options('$.message.orderId')).orderId).toBe(snowflake);
  });

  it('takes no order id from a value that is not a key, or from where the path leads nowhere', () => {
    expect(record(`{"orderId":{"id":"${ORDER_ID}"}}`).orderId).toBeNull();
    expect(record(`{"orderId":["${ORDER_ID}"]}`).orderId).toBeNull();
    expect(record(`["${ORDER_ID}"]`).orderId).toBeNull();
    expect(record('{"orderId":4.5}').orderId).toBeNull();
    expect(record('{"orderId":1e400}').orderId).toBeNull();
    expect(record('{"orderId":true}').orderId).toBeNull();
    expect(record('{"orderId":null}').orderId).toBeNull();
    expect(record('{"orderId":""}').orderId).toBeNull();
    expect(record('{"hello":"world"}')).toMatchObject({ isParseable: true, orderId: null });
    expect(toDeadLetterRecord(DLX_QUEUE, makeMessage('{"orderId":42}'), options('$.message.orderId')).orderId).toBe(
      null,
    );
  });

  it('takes no order id that could not be stored and indexed: too long, or holding U+0000', () => {
    expect(record(JSON.stringify({ orderId: 'x'.repeat(256) })).orderId).toBeNull();
    expect(record(JSON.stringify({ orderId: 'x'.repeat(255) })).orderId).toHaveLength(255);
    expect(record('{"orderId":"a\\u0000b"}')).toMatchObject({ isParseable: true, orderId: null });
  });

  it('never walks a prototype along the path, and never calls text JSON for its long numbers', () => {
    expect(toDeadLetterRecord(DLX_QUEUE, makeMessage('{}'), options('$.constructor.name')).orderId).toBeNull();
    expect(toDeadLetterRecord(DLX_QUEUE, makeMessage('[]'), options('$.length')).orderId).toBeNull();
    // Quoting the digits would make this JSON; it is not, so it is not parsed for an order id either.
    expect(record('{1234567890123456789:1}')).toMatchObject({ isParseable: false, orderId: null });
    expect(record('{"orderId":01234567890123456789}')).toMatchObject({ isParseable: false, orderId: null });
  });

  it('derives one stable surrogate key for a message without an id, from its body and latest death', () => {
    const a = record('same body', { messageId: undefined });
    const b = record('same body', { messageId: undefined });
    expect(a.dedupeKey).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(b.dedupeKey).toBe(a.dedupeKey);
    expect(record('other body', { messageId: undefined }).dedupeKey).not.toBe(a.dedupeKey);
    const laterDeath = { 'x-death': [death({ time: { '!': 'timestamp', value: DIED_AT_SECONDS + 60 } })] };
    expect(record('same body', { messageId: undefined, headers: laterDeath }).dedupeKey).not.toBe(a.dedupeKey);
    // Quorum queues add x-delivery-count on redelivery: it must not change the key.
    const redelivered = { 'x-death': [death()], 'x-delivery-count': 3 };
    expect(record('same body', { messageId: undefined, headers: redelivered }).dedupeKey).toBe(a.dedupeKey);
  });

  it('makes a redriven message that dies again a new letter through the replay counter', () => {
    const again = record('{}', { headers: { 'x-death': [death()], [REPLAY_COUNT_HEADER]: 1 } });
    expect(again.dedupeKey).toBe('m-1#replay-1');
  });

  it('stores a message with no x-death (published straight into the queue) with reason unknown', () => {
    expect(record('{}', { headers: undefined })).toMatchObject({
      reason: 'unknown',
      deathCount: 0,
      originExchange: null,
      originRoutingKeys: [],
      firstDeathQueue: null,
      xDeath: [],
    });
  });

  it('turns hostile headers into values PostgreSQL accepts and never reads a forged prototype', () => {
    const forged = Object.create({ queue: 'from-prototype', reason: 'rejected' }) as Record<string, unknown>;
    forged.count = 1e12;
    const r = record('{}', {
      messageId: 'id\u0000with-nul',
      headers: {
        'x-death': [forged, 'not a table', death({ reason: 'r'.repeat(5_000) })],
        'x-nul': 'a\u0000b',
        'x-bytes': Buffer.from([0, 1, 2]),
        'x-nan': Number.NaN,
      },
    });
    expect(r.xDeath[0]).toMatchObject({ queue: null, reason: null, count: 2_147_483_647 });
    expect(r.xDeath).toHaveLength(2);
    expect(r.xDeath[1]?.reason?.length).toBeLessThanOrEqual(256);
    expect(r.reason).toBe('unknown');
    expect(r.messageId).toBe('id\uFFFDwith-nul');
    expect(r.headers).toMatchObject({
      'x-nul': 'a\uFFFDb',
      'x-bytes': { '!': 'bytes', base64: 'AAEC' },
      'x-nan': 'NaN',
    });
    expect(JSON.stringify(r.headers)).not.toContain('\\u0000');
  });
});

describe('a letter from a MassTransit error queue', () => {
  const MT_QUEUE: DeadLetterQueue = { queue: 'submit-order_error', style: 'masstransit' };
  const fault = (overrides: Record<string, unknown> = {}) => ({
    'MT-Reason': 'fault',
    'MT-Fault-ExceptionType': 'System.InvalidOperationException',
    'MT-Fault-Message': 'The kitchen is closed',
    'MT-Fault-StackTrace': '   at Shop.SubmitOrderConsumer.Consume(ConsumeContext`1 context)',
    'MT-Fault-Timestamp': '2026-05-04T10:11:12.1234567Z',
    'MT-Fault-InputAddress': 'rabbitmq://rabbit.internal/shop/submit-order',
    'MT-Fault-ConsumerType': 'Shop.SubmitOrderConsumer',
    'MT-Fault-MessageType': 'Shop.Contracts:SubmitOrder',
    ...overrides,
  });
  const envelope = (orderId: unknown) => JSON.stringify({ messageId: 'mt-1', message: { orderId } });
  const mtRecord = (content: string, headers: Record<string, unknown> | undefined, properties: LooseProperties = {}) =>
    toDeadLetterRecord(MT_QUEUE, makeMessage(content, { headers, ...properties }), options('$.message.orderId'));

  it('takes reason, count and origin from the MT headers: back to the input queue through the default exchange', () => {
    const r = mtRecord(envelope(ORDER_ID.toUpperCase()), fault({ 'MT-Redelivery-Count': 2 }));
    expect(r).toMatchObject({
      queue: 'submit-order_error',
      messageId: 'm-1',
      dedupeKey: 'm-1',
      reason: 'fault',
      deathCount: 3,
      originExchange: '',
      originRoutingKeys: ['submit-order'],
      firstDeathQueue: 'submit-order',
      xDeath: [],
      orderId: ORDER_ID,
      isParseable: true,
    });
    expect(r.headers).toMatchObject({
      'MT-Fault-ExceptionType': 'System.InvalidOperationException',
      'MT-Fault-Message': 'The kitchen is closed',
    });
  });

  it('reads the order id of any key type from the envelope, a 19-digit one exact', () => {
    expect(mtRecord(envelope(42), fault()).orderId).toBe('42');
    expect(mtRecord(envelope('A-17'), fault()).orderId).toBe('A-17');
    const snowflake = '1234567890123456789';
    expect(mtRecord(`{"message":{"orderId":${snowflake}}}`, fault()).orderId).toBe(snowflake);
  });

  it('finds the input queue in any endpoint address: with or without a vhost, query stripped, URL-decoded', () => {
    const queueOf = (address: unknown) => mtRecord('{}', fault({ 'MT-Fault-InputAddress': address })).firstDeathQueue;
    expect(queueOf('rabbitmq://rabbit.internal/submit-order?temporary=true')).toBe('submit-order');
    expect(queueOf('rabbitmq://rabbit.internal:5672/shop%2Fprod/submit%20order')).toBe('submit order');
    expect(queueOf('rabbitmq://rabbit.internal/shop/submit-order#x')).toBe('submit-order');
  });

  it('defaults the reason to fault and the count to 1, and reads a count written as text', () => {
    const bare = { 'MT-Fault-InputAddress': 'rabbitmq://h/submit-order' };
    expect(mtRecord('{}', bare)).toMatchObject({ reason: 'fault', deathCount: 1, originExchange: '' });
    expect(mtRecord('{}', fault({ 'MT-Redelivery-Count': 0 })).deathCount).toBe(1);
    expect(mtRecord('{}', fault({ 'MT-Redelivery-Count': '4' })).deathCount).toBe(5);
    expect(mtRecord('{}', fault({ 'MT-Redelivery-Count': 'many' })).deathCount).toBe(1);
    expect(mtRecord('{}', fault({ 'MT-Reason': 'dead-letter' })).reason).toBe('dead-letter');
  });

  it('names no origin when the input address names no queue, so a redrive refuses rather than guesses', () => {
    for (const address of ['not a url', 'rabbitmq://h/', 'rabbitmq://h/vhost/%E0%A4%A', 42, undefined]) {
      const r = mtRecord('{}', fault({ 'MT-Fault-InputAddress': address }));
      expect(r, String(address)).toMatchObject({ reason: 'fault', originExchange: null, firstDeathQueue: null });
      expect(r.originRoutingKeys).toEqual([]);
    }
    const tooLong = `rabbitmq://h/${'q'.repeat(256)}`;
    expect(mtRecord('{}', fault({ 'MT-Fault-InputAddress': tooLong })).originExchange).toBeNull();
  });

  it('stores a letter of the wrong style with reason unknown: x-death in a MassTransit queue, MT headers in a DLQ', () => {
    const dead = mtRecord('{}', { 'x-death': [death()] });
    expect(dead).toMatchObject({ reason: 'unknown', deathCount: 0, originExchange: null, firstDeathQueue: null });
    expect(dead.xDeath).toHaveLength(1);
    expect(mtRecord('{}', undefined)).toMatchObject({ reason: 'unknown', originRoutingKeys: [] });
    expect(record('{}', { headers: fault() })).toMatchObject({
      reason: 'unknown',
      deathCount: 0,
      originExchange: null,
      firstDeathQueue: null,
    });
  });

  it('derives one stable surrogate key for a fault without a message id, from its body, input and time', () => {
    const a = mtRecord('same body', fault(), { messageId: undefined });
    expect(a.dedupeKey).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(mtRecord('same body', fault(), { messageId: undefined }).dedupeKey).toBe(a.dedupeKey);
    const later = fault({ 'MT-Fault-Timestamp': '2026-05-04T10:11:13.0000000Z' });
    expect(mtRecord('same body', later, { messageId: undefined }).dedupeKey).not.toBe(a.dedupeKey);
  });

  it('bounds what it reads and never reads MT headers from a forged prototype', () => {
    const forged = Object.create({ 'MT-Fault-InputAddress': 'rabbitmq://h/forged' }) as Record<string, unknown>;
    expect(mtRecord('{}', forged)).toMatchObject({ reason: 'unknown', firstDeathQueue: null });
    const hostile = fault({
      'MT-Reason': 'r'.repeat(5_000),
      'MT-Redelivery-Count': 1e12,
      'MT-Fault-Message': 'a\u0000b',
    });
    const r = mtRecord('{}', hostile);
    expect(r.reason.length).toBeLessThanOrEqual(256);
    expect(r.deathCount).toBe(2_147_483_647);
    expect(r.headers['MT-Fault-Message']).toBe('a\uFFFDb');
  });
});
