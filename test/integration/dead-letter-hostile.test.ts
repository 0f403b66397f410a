import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISPATCH_DEAD_LETTER_QUEUE, ORDER_CREATED, ORDERS_EXCHANGE } from '../../demo/names.ts';
import type { Recon } from '../../server/recon.ts';
import { readApi } from '../support/actions.ts';
import { type DemoHarness, queueDepth, startDemo } from '../support/demo-harness.ts';
import {
  corpus,
  HUGE_BYTES,
  MAX_BYTES,
  PROTO_ORDER,
  REAL_ORDER,
  realMessageId,
} from '../support/hostile-dead-letters.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { startTestRecon } from '../support/recon-harness.ts';
import { waitFor } from '../support/wait-for.ts';

// O4: malformed messages in a dead-letter queue are stored, flagged and shown as data; the consumer keeps going.
interface Row {
  message_id: string | null;
  dedupe_key: string;
  is_parseable: boolean;
  body_truncated: boolean;
  body_size: number;
  kept: number;
  order_id: string | null;
  reason: string;
}

describe('hostile dead letters', () => {
  let env: IsolatedEnv;
  let demo: DemoHarness;
  let recon: Recon;
  let reconDb: pg.Pool;
  const rows = new Map<string, Row>();
  let anonymousRows = 0;

  beforeAll(async () => {
    env = await createIsolatedEnv('dl_hostile');
    demo = await startDemo(env);
    recon = await startTestRecon(env);
    reconDb = new pg.Pool({ connectionString: env.reconDatabaseUrl, max: 2 });
    const connection = await amqp.connect(env.rabbitmqUrl);
    try {
      const channel = await connection.createConfirmChannel();
      for (const m of corpus) channel.sendToQueue(DISPATCH_DEAD_LETTER_QUEUE, m.body, m);
      // A real dead letter: valid JSON with an orderId that the dispatch service rejects (no items).
      const real = Buffer.from(JSON.stringify({ orderId: REAL_ORDER, note: 'missing items for the kitchen' }));
      channel.publish(ORDERS_EXCHANGE, ORDER_CREATED, real, { messageId: realMessageId, persistent: true });
      await channel.waitForConfirms();
    } finally {
      await connection.close();
    }
    await waitFor('the corpus in custody', async () => (await readRows()) === corpus.length, { timeoutMs: 30_000 });
  });
  afterAll(async () => {
    await reconDb?.end();
    await recon?.stop();
    await demo?.stop();
    await env?.destroy();
  });

  async function readRows(): Promise<number> {
    const result = await reconDb
      .query<Row>(
        `SELECT message_id, dedupe_key, is_parseable, body_truncated, body_size, octet_length(body) AS kept,
           order_id, reason FROM dead_letters`,
      )
      .catch(() => ({ rows: [] as Row[] }));
    for (const row of result.rows) rows.set(row.message_id ?? 'anonymous', row);
    anonymousRows = result.rows.filter((row) => row.message_id === null).length;
    return result.rows.length;
  }
  const get = (key: string) => rows.get(key)!;
  const api = async <T>(path: string) => {
    const response = await readApi(recon, path);
    expect(response.status, path).toBe(200);
    return (await response.json()) as T;
  };

  it('stores every hostile message once, flagged, and pollutes nothing', async () => {
    expect(get('h-text')).toMatchObject({ is_parseable: false, order_id: null, reason: 'unknown' });
    expect(get('h-bytes')).toMatchObject({ is_parseable: false, body_size: 6, kept: 6 });
    expect(get('h-huge')).toMatchObject({ is_parseable: false, body_truncated: true, kept: MAX_BYTES, order_id: null });
    expect(get('h-huge').body_size).toBeGreaterThan(HUGE_BYTES);
    expect(get('h-deep')).toMatchObject({ is_parseable: false, body_truncated: false, order_id: null });
    expect(get('h-proto')).toMatchObject({ is_parseable: true, order_id: PROTO_ORDER });
    expect(get('h-no-order')).toMatchObject({ is_parseable: true, order_id: null });
    expect(get('anonymous').dedupe_key).toMatch(/^sha256:/);
    expect(get('h-headers').reason).toBe(`${'r'.repeat(255)}…`);
    expect(get(realMessageId)).toMatchObject({ is_parseable: true, order_id: REAL_ORDER, reason: 'rejected' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await queueDepth(env, DISPATCH_DEAD_LETTER_QUEUE)).toBe(0);
  });

  it('still stores a normal message published afterwards', async () => {
    const connection = await amqp.connect(env.rabbitmqUrl);
    const channel = await connection.createConfirmChannel();
    channel.sendToQueue(DISPATCH_DEAD_LETTER_QUEUE, Buffer.from(`{"orderId":"${randomUUID()}"}`), {
      messageId: 'after',
    });
    await channel.waitForConfirms();
    await connection.close();
    await waitFor('the normal message', async () => (await readRows()) === corpus.length + 1);
    expect(get('after')).toMatchObject({ is_parseable: true });
    // The twins without a message id were one row all along.
    expect(anonymousRows).toBe(1);
  });

  it('finds letters by order id, message id and body text, and pages through all of them', async () => {
    type Page = { items: Array<{ id: string; messageId: string | null }>; nextCursor: string | null };
    const ids = async (q: string) => (await api<Page>(`/api/dead-letters?q=${encodeURIComponent(q)}`)).items;
    // The huge body, cut short and so unparseable, names the order too: a search reads every body.
    expect((await ids(REAL_ORDER)).map((l) => l.messageId)).toEqual([realMessageId, 'h-huge']);
    expect((await ids(REAL_ORDER.toUpperCase())).map((l) => l.messageId)).toEqual([realMessageId, 'h-huge']);
    expect((await ids('h-proto')).map((l) => l.messageId)).toEqual(['h-proto']);
    expect((await ids('FOR THE KITCHEN')).map((l) => l.messageId)).toEqual([realMessageId]);
    expect(await ids('100%_\\')).toEqual([]);
    const rejected = await api<Page>('/api/dead-letters?reason=rejected');
    expect(rejected.items.map((l) => l.messageId)).toEqual([realMessageId]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await api<Page>(`/api/dead-letters?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((l) => l.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(rows.size);
    expect(seen).toHaveLength(rows.size);
  });

  it('returns each letter as data: UTF-8 text or base64, parsed JSON only when parseable', async () => {
    type Detail = { body: { encoding: string; text: string }; parsed?: unknown; headers: Record<string, unknown> };
    const idOf = async (q: string) =>
      (await api<{ items: Array<{ id: string }> }>(`/api/dead-letters?q=${q}`)).items[0]!.id;
    const detail = async (q: string) => {
      const response = await readApi(recon, `/api/dead-letters/${await idOf(q)}`);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      return (await response.json()) as Detail;
    };
    const text = await detail('h-text');
    expect(text).toMatchObject({ body: { encoding: 'utf8', text: 'hello <script>alert(1)</script>' } });
    expect(text).not.toHaveProperty('parsed');
    expect((await detail('h-bytes')).body).toEqual({ encoding: 'base64', text: corpus[1]!.body.toString('base64') });
    expect(await detail('h-deep')).not.toHaveProperty('parsed');
    const proto = await detail('h-proto');
    expect(Object.hasOwn(proto.parsed as object, '__proto__')).toBe(true);
    expect((await detail('h-huge')).body.text).toHaveLength(MAX_BYTES);
    expect((await detail('h-headers')).headers['x-evil']).toBe('a\uFFFDb');
    expect((await readApi(recon, '/api/dead-letters/not-a-number')).status).toBe(400);
    expect((await readApi(recon, '/api/dead-letters/999999999')).status).toBe(404);
  });

  it('opens a dead-letter finding with the order id, found by the findings search and on the order timeline', async () => {
    type Findings = { items: Array<{ id: string; evidence: Record<string, unknown> }> };
    const found = await api<Findings>(`/api/findings?q=${REAL_ORDER}`);
    expect(found.items.map((f) => f.id)).toEqual([`dead-letter:${realMessageId}`]);
    expect(found.items[0]?.evidence).toMatchObject({
      orderId: REAL_ORDER,
      messageId: realMessageId,
      reason: 'rejected',
      originExchange: 'orders',
      originRoutingKeys: ['order.created'],
      isParseable: true,
    });
    type Timeline = { events: Array<{ source: string; detail: Record<string, unknown> }> };
    const timeline = await api<Timeline>(`/api/orders/${REAL_ORDER}/timeline`);
    expect(timeline.events.filter((e) => e.source === 'dead-letter').map((e) => e.detail.messageId)).toEqual([
      realMessageId,
    ]);
  });
});
