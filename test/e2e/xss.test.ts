import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DISPATCH_DEAD_LETTER_QUEUE } from '../../demo/names.ts';
import { launchChromium, screenshot, signInThroughUi } from '../support/browser.ts';
import { type DemoHarness, startDemo } from '../support/demo-harness.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { type ReconProcess, spawnRecon } from '../support/recon-process.ts';
import { ADMIN, ADMIN_AUTH, postJson } from '../support/users.ts';
import { waitFor } from '../support/wait-for.ts';
import { bodyPayloads, hostile, injectedMarkup, missingTexts } from '../support/xss-corpus.ts';

// An XSS corpus in every operator-visible field (message bodies, headers, queue names, order fields, error texts,
// reasons) is rendered as text in Chromium, and none of it runs. The server's CSP would stop an injected script
// from running, so `window.__xss` alone proves little: each page must show the payload as characters and hold none
// of its markup.

const ORDER = randomUUID(); // hostile status and customer id, no dispatch, a stuck outbox row, a dead letter
const ORPHAN = randomUUID(); // a dispatch without an order: hostile courier and status
const OUTBOX_MESSAGE = randomUUID();
const TEXT_LETTER = 'xss-text-letter'; // a plain-text letter, discarded with a hostile reason
const finding = {
  letter: `dead-letter:${hostile.messageId}`,
  textLetter: `dead-letter:${TEXT_LETTER}`,
  order: `order-without-dispatch:${ORDER}`,
  outbox: `stuck-outbox:${OUTBOX_MESSAGE}`,
  orphan: `dispatch-without-order:${ORPHAN}`,
};
/** Row ids known once Recon has the letters and the actions. */
const ids = { letter: '', textLetter: '', redrive: '' };

let env: IsolatedEnv;
let demo: DemoHarness;
let recon: ReconProcess;
let browser: Browser;
let page: Page;
/** Dialogs, CSP refusals and page errors seen on the page under test. */
const alarms: string[] = [];

beforeAll(async () => {
  env = await createIsolatedEnv('xss');
  // Only the topology and the schemas: no service may consume, relay or repair what the test plants.
  demo = await startDemo(env, { services: { relay: false, dispatch: false, replenisher: false } });
  await plantRows();
  await plantLetters();
  const queues = `${DISPATCH_DEAD_LETTER_QUEUE},${hostile.queue}`;
  recon = await spawnRecon(env, { RECON_WATCHED_QUEUES: queues, RECON_DEAD_LETTER_QUEUES: queues });
  for (const id of Object.values(finding)) {
    await waitFor(`${id} open`, async () => (await api(`/api/findings/${encodeURIComponent(id)}`)).state === 'open');
  }
  const letters = (await api('/api/dead-letters')).items as Array<{ id: string; messageId: string }>;
  ids.letter = letters.find((l) => l.messageId === hostile.messageId)!.id;
  ids.textLetter = letters.find((l) => l.messageId === TEXT_LETTER)!.id;
  // The redrive fails (its exchange routes nowhere): its error text names the hostile exchange and routing key.
  const redrive = await act(finding.letter, 'redrive', hostile.redriveReason, hostile.idempotencyKey);
  expect(redrive).toMatchObject({ status: 'failed', detail: expect.stringContaining(hostile.exchange) });
  ids.redrive = redrive.id;
  expect(await act(finding.textLetter, 'discard', hostile.discardReason)).toMatchObject({ status: 'done' });

  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  page.on('dialog', (dialog) => {
    alarms.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('console', (m) => {
    if (/Refused to|Content Security Policy/i.test(m.text())) alarms.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (error) => alarms.push(`page error: ${error.message}`));
  await signInThroughUi(page, recon.url, ADMIN.name, ADMIN.password);
});

afterAll(async () => {
  await browser?.close();
  await recon?.stop();
  await demo?.stop();
  await env?.destroy();
});

// biome-ignore lint/suspicious/noExplicitAny: a JSON reply the test inspects
async function api(path: string, init?: RequestInit): Promise<any> {
  const response = await fetch(`${recon.url}${path}`, init ?? { headers: { authorization: ADMIN_AUTH } });
  if (!response.ok) throw new Error(`${path} → ${response.status} ${await response.text()}`);
  return response.json();
}

const act = (findingId: string, action: string, reason: string, key: string = randomUUID()) =>
  api(
    `/api/findings/${encodeURIComponent(findingId)}/actions`,
    postJson(ADMIN_AUTH, { action, reason }, { 'idempotency-key': key }),
  );

/** An order, its stuck outbox row and a dispatch of an order that does not exist, their texts all hostile. */
async function plantRows() {
  await demo.system.ordersPool.query(
    `INSERT INTO orders (id, customer_id, items, total_cents, status, created_at)
     VALUES ($1, $2, '[]', 0, $3, now() - interval '1 minute')`,
    [ORDER, hostile.customerId, hostile.orderStatus],
  );
  // next_attempt_at NULL: a relay holds it in flight, and never settles it.
  await demo.system.ordersPool.query(
    `INSERT INTO outbox (message_id, aggregate_id, event_type, payload, created_at, published_at, attempts,
       last_error, next_attempt_at) VALUES ($1, $2, $3, '{}', now() - interval '1 minute', now(), 3, $4, NULL)`,
    [OUTBOX_MESSAGE, ORDER, hostile.eventType, hostile.lastError],
  );
  await demo.system.dispatchPool.query(
    `INSERT INTO dispatches (order_id, courier, status, order_snapshot, created_at)
     VALUES ($1, $2, $3, '{}', now() - interval '1 minute')`,
    [ORPHAN, hostile.courier, hostile.dispatchStatus],
  );
}

/**
 * Two letters in a dead-letter queue with a hostile name: one JSON body for ORDER with hostile headers and an
 * x-death whose origin is a hostile exchange that routes nowhere, and one plain-text body.
 */
async function plantLetters() {
  const connection = await amqp.connect(env.rabbitmqUrl);
  try {
    const channel = await connection.createConfirmChannel();
    await channel.assertQueue(hostile.queue, { durable: true });
    await channel.assertExchange(hostile.exchange, 'topic', { durable: true });
    const death = { queue: hostile.deathQueue, reason: hostile.deathReason, count: 1 };
    const xDeath = [{ ...death, exchange: hostile.exchange, 'routing-keys': [hostile.routingKey] }];
    const body = { orderId: ORDER, note: bodyPayloads.join('\n') };
    channel.sendToQueue(hostile.queue, Buffer.from(JSON.stringify(body)), {
      messageId: hostile.messageId,
      contentType: 'application/json',
      headers: { 'x-death': xDeath, [hostile.headerName]: hostile.headerValue },
    });
    channel.sendToQueue(hostile.queue, Buffer.from(bodyPayloads.join('\n')), {
      messageId: TEXT_LETTER,
      contentType: hostile.contentType,
    });
    await channel.waitForConfirms();
  } finally {
    await connection.close();
  }
}

const letterFields = [hostile.queue, hostile.deathReason, hostile.messageId];
const originFields = [hostile.exchange, hostile.routingKey, hostile.deathQueue];
const findingPath = (id: string) => () => `#/findings/${encodeURIComponent(id)}`;
const link = (path: string, query: Record<string, string>) => () => `${path}?${new URLSearchParams(query)}`;
const PAGES: Array<{ name: string; path: () => string; texts: string[]; shot?: string }> = [
  { name: 'overview', path: () => '#/overview', texts: [hostile.queue] },
  { name: 'findings', path: () => '#/findings?state=all', texts: [hostile.messageId] },
  {
    name: 'dead-letter finding',
    path: findingPath(finding.letter),
    texts: [...letterFields, ...originFields, hostile.redriveReason],
  },
  { name: 'order-without-dispatch finding', path: findingPath(finding.order), texts: [hostile.orderStatus] },
  { name: 'stuck-outbox finding', path: findingPath(finding.outbox), texts: [hostile.eventType, hostile.lastError] },
  { name: 'dispatch-without-order finding', path: findingPath(finding.orphan), texts: [hostile.dispatchStatus] },
  {
    name: "the order's timeline",
    path: () => `#/orders/${ORDER}`,
    texts: [hostile.orderStatus, hostile.customerId, hostile.eventType, ...letterFields],
  },
  { name: "the orphan's timeline", path: () => `#/orders/${ORPHAN}`, texts: [hostile.courier, hostile.dispatchStatus] },
  { name: 'dead letters', path: () => '#/dead-letters', texts: letterFields },
  {
    name: 'the JSON dead letter',
    path: () => `#/dead-letters/${ids.letter}`,
    texts: [...letterFields, ...originFields, hostile.headerName, hostile.headerValue, ...bodyPayloads],
    shot: 'xss-dead-letter',
  },
  {
    name: 'the text dead letter',
    path: () => `#/dead-letters/${ids.textLetter}`,
    texts: [hostile.contentType, hostile.discardReason, ...bodyPayloads],
  },
  {
    name: 'actions',
    path: () => '#/actions',
    texts: [hostile.redriveReason, hostile.discardReason, hostile.exchange, hostile.messageId],
  },
  {
    name: 'the failed redrive',
    path: () => `#/actions/${ids.redrive}`,
    texts: [hostile.redriveReason, hostile.idempotencyKey, hostile.exchange, hostile.routingKey],
  },
  {
    name: 'audit',
    path: () => '#/audit',
    texts: [hostile.redriveReason, hostile.discardReason, hostile.idempotencyKey],
  },
  // Filters come from the URL: a link someone sends an operator.
  {
    name: 'a crafted link to the findings',
    path: link('#/findings', { kind: hostile.linkKind, q: hostile.linkQuery }),
    texts: [hostile.linkQuery],
  },
  {
    name: 'a crafted link to the dead letters',
    path: link('#/dead-letters', { reason: hostile.linkReason, q: hostile.linkQuery }),
    texts: [hostile.linkReason, hostile.linkQuery],
  },
];

describe('an XSS corpus in every operator-visible field', () => {
  it.each(PAGES)('$name shows it as text and runs none of it', async ({ path, texts, shot }) => {
    // A fresh document per page: text left over from the previous page cannot satisfy this one.
    await page.goto('about:blank');
    alarms.length = 0;
    await page.goto(`${recon.url}/${path()}`);
    await expect
      .poll(() => missingTexts(page, texts), { timeout: 15_000, message: 'fields not shown as text' })
      .toEqual([]);
    expect(await injectedMarkup(page), 'markup from the corpus in the DOM').toEqual([]);
    expect(alarms, 'dialogs, CSP refusals, page errors').toEqual([]);
    if (shot) await screenshot(page, shot);
  });
});
