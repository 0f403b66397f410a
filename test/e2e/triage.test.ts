import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, signInThroughUi } from '../support/browser.ts';
import { type DemoHarness, startDemo } from '../support/demo-harness.ts';
import { placeOrderAndLoseItsDispatch } from '../support/dispatch-rows.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { type ReconProcess, spawnRecon } from '../support/recon-process.ts';
import { addUser } from '../support/users.ts';
import { waitFor } from '../support/wait-for.ts';

// Triage in real headless Chromium against a real Recon, broker and databases: the overview's headline and 15-minute
// changes, the bulk dialog offering only the actions the selected kinds allow (and no default across kinds), the
// audit page's filters, and the sources turning grey when Recon itself stops answering. Screenshots of each.
const POISON = 3;
let env: IsolatedEnv;
let demo: DemoHarness;
let recon: ReconProcess;
let browser: Browser;
let page: Page;
let olga: string;
let lostOrder: string;

const post = async (path: string, body: object) => {
  const res = await fetch(`${recon.url}${path}`, {
    method: 'POST',
    headers: { authorization: olga, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`POST ${path} → ${res.status} ${await res.text()}`);
};
const optionTexts = () =>
  page
    .getByTestId('bulk-action-select')
    .locator('option')
    // `value` is a property here (Preact sets it so), not an attribute.
    .evaluateAll((options) => options.map((o) => `${(o as unknown as { value: string }).value}|${o.textContent}`));

beforeAll(async () => {
  env = await createIsolatedEnv('e2e_triage');
  demo = await startDemo(env);
  recon = await spawnRecon(env, { RECON_GRACE_SECONDS: '2' });
  olga = await addUser(env, 'olga', 'operator');
  browser = await launchChromium();
  for (let i = 0; i < POISON; i++) await demo.system.orders.publishPoison();
  lostOrder = await placeOrderAndLoseItsDispatch(demo);
  await placeOrderAndLoseItsDispatch(demo);
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, colorScheme: 'light' });
  page = await context.newPage();
  await signInThroughUi(page, recon.url, 'olga', 'pw-olga-correct-horse');
});
afterAll(async () => {
  await browser?.close();
  await recon?.stop();
  await demo?.stop();
  await env?.destroy();
});

describe('triage in Chromium', () => {
  it('heads the overview with the critical kinds open and their growth in 15 minutes', async () => {
    const headline = page.getByTestId('overview-headline');
    await expect
      .poll(() => headline.textContent(), { timeout: 60_000 })
      .toMatch(/^1 critical kind open, \+2 in 15 min · 1 warning kind open, \+3 in 15 min$/);
    expect(await headline.getAttribute('data-level')).toBe('critical');
    const card = page.getByTestId('kind-card-order-without-dispatch');
    expect(await card.getByTestId('card-change').getAttribute('data-change')).toBe('2');
    expect(await card.getByTestId('card-change').textContent()).toBe('+2 in 15 min');
    // One window for every chart, chosen on the page.
    await page.getByTestId('window-15').click();
    expect(await page.getByTestId('window-15').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('window-60').getAttribute('aria-pressed')).toBe('false');
    await screenshot(page, 'triage-overview');
  });

  it('offers a bulk only the actions the selected kinds allow, with no default across kinds', async () => {
    await page.goto(`${recon.url}/#/findings?state=open`);
    const rowOf = (kind: string) => page.locator(`[data-testid="finding-row"][data-finding-id^="${kind}:"]`).first();
    await rowOf('dead-letter').getByTestId('select-row').check();
    await rowOf('order-without-dispatch').getByTestId('select-row').check();
    await page.getByTestId('bulk-action').click();
    await page.getByTestId('bulk-dialog').waitFor();
    expect(await optionTexts()).toEqual([
      '|Choose an action…',
      'redeliver|redeliver (applies to 1 of 2)',
      'redrive|redrive (applies to 1 of 2)',
      'discard|discard (applies to 1 of 2)',
    ]);
    await page.getByTestId('bulk-reason').fill('e2e: triage');
    expect(await page.getByTestId('bulk-dry-run').isDisabled()).toBe(true);
    // The whole filter, counted before any dry run.
    await page.getByTestId('bulk-scope-filter').check();
    await expect.poll(() => page.getByTestId('bulk-filter-count').getAttribute('data-count')).toBe(String(POISON + 2));
    await screenshot(page, 'triage-bulk-dialog');
    await page.getByTestId('bulk-dialog-cancel').click();

    await page.goto(`${recon.url}/#/findings?kind=dead-letter&state=open`);
    await page.getByTestId('bulk-action').click();
    await page.getByTestId('bulk-scope-filter').check();
    await expect.poll(() => page.getByTestId('bulk-filter-count').getAttribute('data-count')).toBe(String(POISON));
    expect(await optionTexts()).toEqual(['|Choose an action…', 'redrive|redrive', 'discard|discard']);
    await page.getByTestId('bulk-dialog-cancel').click();
  });

  it('filters the audit log by action, kind and actor, one row per action and a bulk run as one row', async () => {
    await post('/api/bulk-actions', { action: 'discard', reason: 'e2e: poison', filter: { kind: 'dead-letter' } });
    await post(`/api/findings/${encodeURIComponent(`order-without-dispatch:${lostOrder}`)}/actions`, {
      action: 'redeliver',
      reason: 'e2e: the courier app lost it',
    });
    await page.goto(`${recon.url}/#/audit`);
    await waitFor('the bulk and the redeliver in the audit', async () => {
      await page.reload();
      await page.getByTestId('audit-groups').waitFor();
      return (
        (await page.getByTestId('audit-bulk').count()) === 1 && (await page.getByTestId('audit-action').count()) > 0
      );
    });
    expect(await page.getByTestId('audit-bulk').getAttribute('data-actions')).toBe(String(POISON));

    await page.getByTestId('audit-action-filter').selectOption('redeliver');
    await expect.poll(() => page.getByTestId('audit-bulk').count()).toBe(0);
    const actions = page.getByTestId('audit-action');
    expect(await actions.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')))).toEqual(['redeliver']);
    await actions.first().locator('summary').click();
    expect(await actions.first().getByTestId('audit-target').getAttribute('href')).toBe(`#/orders/${lostOrder}`);
    expect(await actions.first().getByTestId('audit-row').count()).toBeGreaterThanOrEqual(2);
    await screenshot(page, 'triage-audit-redeliver');

    await page.getByTestId('audit-action-filter').selectOption('');
    await page.getByTestId('audit-kind-filter').selectOption('dead-letter');
    // Only the bulk run is about dead letters: one row, the bulk's. Polled as one condition: until the filtered
    // answer arrives, the page still shows the previous filter's single redeliver row.
    const rowsAndBulks = async () => [
      await page.getByTestId('audit-groups').locator(':scope > li').count(),
      await page.getByTestId('audit-bulk').count(),
    ];
    await expect.poll(rowsAndBulks).toEqual([1, 1]);
    await page.getByTestId('audit-kind-filter').selectOption('');
    await page.getByTestId('audit-actor').fill('nobody');
    await page.getByTestId('audit-apply').click();
    await expect.poll(() => page.getByTestId('audit-groups').locator('li').count()).toBe(0);
    expect(await page.getByTestId('audit-csv').getAttribute('href')).toBe('/api/audit.csv?actor=nobody');
  });

  it('greys the sources out, not green, when Recon itself stops answering', async () => {
    await page.goto(`${recon.url}/#/overview`);
    await expect.poll(() => page.getByTestId('source-orders').getAttribute('data-up')).toBe('true');
    // Killed, as a crash or a lost network would leave it: nothing says goodbye to the page.
    recon.child.kill('SIGKILL');
    await recon.exited;
    await expect
      .poll(() => page.getByTestId('source-orders').getAttribute('data-up'), { timeout: 30_000 })
      .toBe('unknown');
    expect(await page.getByTestId('overview-headline').getAttribute('data-level')).toBe('unknown');
    await screenshot(page, 'triage-recon-unreachable');
  });
});
