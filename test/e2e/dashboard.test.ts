import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, signInThroughUi } from '../support/browser.ts';
import { type DemoHarness, placeOrders, startDemo } from '../support/demo-harness.ts';
import { countDispatches, placeOrderAndLoseItsDispatch } from '../support/dispatch-rows.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { type ReconProcess, spawnRecon } from '../support/recon-process.ts';
import { ADMIN, addUser } from '../support/users.ts';
import { waitFor } from '../support/wait-for.ts';

// The operator's path through the dashboard in real headless Chromium, against a real Recon process, the real
// broker and databases and the demo's traffic with faults (poison messages → dead letters; dispatches lost → orders
// without a courier): sign in, watch the findings appear, open an order's timeline, redeliver with a reason and see
// the finding resolve. A viewer sees no action buttons, and the server refuses the viewer's request made anyway.
// Every page is saved as a screenshot under test-results/screenshots.

const PASSWORD = (name: string) => `pw-${name}-correct-horse`; // what addUser sets
const findingOf = (orderId: string) => `order-without-dispatch:${orderId}`;
const findingUrl = (id: string) => `#/findings/${encodeURIComponent(id)}`;

let env: IsolatedEnv;
let demo: DemoHarness;
let recon: ReconProcess;
let browser: Browser;
let redelivered: string;
let leftForTheViewer: string;

beforeAll(async () => {
  env = await createIsolatedEnv('e2e_dashboard');
  demo = await startDemo(env);
  recon = await spawnRecon(env);
  await addUser(env, 'olga', 'operator');
  await addUser(env, 'victor', 'viewer');
  browser = await launchChromium();
  await placeOrders(demo, 10);
  for (let i = 0; i < 3; i++) await demo.system.orders.publishPoison(); // → dead letters
  redelivered = await placeOrderAndLoseItsDispatch(demo);
  leftForTheViewer = await placeOrderAndLoseItsDispatch(demo);
});

afterAll(async () => {
  await browser?.close();
  await recon?.stop();
  await demo?.stop();
  await env?.destroy();
});

async function newPage(name: string, password: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, colorScheme: 'light' });
  const page = await context.newPage();
  await signInThroughUi(page, recon.url, name, password);
  return page;
}

describe('the dashboard in Chromium', () => {
  it('an operator sees the findings appear, reads the timeline, redelivers with a reason and sees it resolve', async () => {
    const page = await newPage('olga', PASSWORD('olga'));
    expect(await page.getByTestId('user-badge').textContent()).toContain('olga (operator)');

    // Overview: live numbers, no reload.
    const card = page.getByTestId('kind-card-order-without-dispatch');
    await waitFor(
      'both orders without dispatch on the overview',
      async () => Number(await card.getAttribute('data-open')) >= 2,
      {
        timeoutMs: 30_000,
      },
    );
    await expect.poll(() => page.getByTestId('source-orders').getAttribute('data-up')).toBe('true');
    await page.getByTestId('kind-card-dead-letter').waitFor();
    await screenshot(page, 'overview');

    // Findings list, filtered to the kind.
    await page.goto(`${recon.url}/#/findings?kind=order-without-dispatch&state=open`);
    await page.locator(`[data-testid="finding-row"][data-finding-id="${findingOf(redelivered)}"]`).waitFor();
    await screenshot(page, 'findings');

    // The order's timeline: the order row and its outbox row are there, its dispatch is not.
    await page.goto(`${recon.url}/#/orders/${redelivered}`);
    await page.getByTestId('timeline-event').first().waitFor();
    const sources = await page
      .getByTestId('timeline-event')
      .evaluateAll((events) => events.map((e) => e.getAttribute('data-source')));
    expect(sources).toEqual(expect.arrayContaining(['order', 'outbox']));
    expect(sources).not.toContain('dispatch');
    await screenshot(page, 'order-timeline');

    // Redeliver: the confirmation names the effect and will not submit without a reason.
    await page.goto(`${recon.url}/${findingUrl(findingOf(redelivered))}`);
    // Keyboard: the dialog opens focused on the reason, and Escape closes it without acting.
    await page.getByTestId('action-button-redeliver').click();
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.getByTestId('action-button-redeliver').focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    expect(await page.getByTestId('confirm-text').textContent()).toContain(`order.created for order ${redelivered}`);
    expect(await page.getByTestId('confirm-submit').isDisabled()).toBe(true);
    await page.getByTestId('confirm-reason').fill('e2e: the courier app lost this order');
    await screenshot(page, 'confirm-redeliver');
    await page.getByTestId('confirm-submit').click();
    await expect
      .poll(() => page.getByTestId('action-result').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('done');
    await waitFor('the redelivered order dispatched', async () => (await countDispatches(demo, redelivered)) === 1);

    // The next cycles see the dispatch: the finding resolves on the page.
    await waitFor(
      'the finding to show resolved',
      async () => {
        await page.reload();
        return ((await page.getByTestId('finding-state').textContent()) ?? '').startsWith('resolved');
      },
      { timeoutMs: 30_000 },
    );
    await screenshot(page, 'finding-resolved');

    // The action and its audit trail, as the operator's own words.
    await page.goto(`${recon.url}/#/actions`);
    await page.getByTestId('action-row').first().waitFor();
    await screenshot(page, 'actions');
    await page.goto(`${recon.url}/#/audit`);
    await expect
      .poll(() => page.getByTestId('audit-groups').textContent())
      .toContain('e2e: the courier app lost this order');
    await screenshot(page, 'audit');
  });

  it('dead letters: the list, and one letter with its body, headers and x-death', async () => {
    const page = await newPage('olga', PASSWORD('olga'));
    await page.goto(`${recon.url}/#/dead-letters`);
    await page.getByTestId('dead-letter-row').first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'dead-letters');
    await page.getByTestId('dead-letter-row').first().locator('a').first().click();
    await page.getByTestId('dead-letter-body').waitFor();
    expect(await page.getByTestId('dead-letter-xdeath').textContent()).toContain('rejected');
    await screenshot(page, 'dead-letter');
  });

  it('a viewer sees no action buttons, and the server refuses the viewer the action anyway', async () => {
    const page = await newPage('victor', PASSWORD('victor'));
    await page.goto(`${recon.url}/${findingUrl(findingOf(leftForTheViewer))}`);
    await expect.poll(() => page.getByTestId('finding-state').textContent(), { timeout: 30_000 }).toContain('open');
    expect(await page.locator('[data-testid^="action-button-"]').count()).toBe(0);
    await screenshot(page, 'finding-as-viewer');

    // The same request the operator's button sends, from the viewer's signed-in page, CSRF token and all.
    const answer = await page.evaluate(async (findingId) => {
      const session = (await (await fetch('/api/session')).json()) as { csrfToken: string };
      const response = await fetch(`/api/findings/${encodeURIComponent(findingId)}/actions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-csrf-token': session.csrfToken,
          'idempotency-key': crypto.randomUUID(),
        },
        body: JSON.stringify({ action: 'redeliver', reason: 'a viewer trying anyway' }),
      });
      return { status: response.status, body: await response.json() };
    }, findingOf(leftForTheViewer));
    expect(answer).toEqual({
      status: 403,
      body: { error: { code: 'forbidden', message: 'the operator role is required; victor is viewer' } },
    });
    expect(await countDispatches(demo, leftForTheViewer)).toBe(0);
  });

  it('the overview is live: a new finding shows up without a reload', async () => {
    const page = await newPage('victor', PASSWORD('victor'));
    const card = page.getByTestId('kind-card-order-without-dispatch');
    await card.waitFor();
    const before = Number(await card.getAttribute('data-open'));
    await page.evaluate(() => {
      (globalThis as { loadedOnce?: boolean }).loadedOnce = true;
    });
    await placeOrderAndLoseItsDispatch(demo);
    await expect.poll(async () => Number(await card.getAttribute('data-open')), { timeout: 30_000 }).toBe(before + 1);
    // Still the same document: the number came over the event stream, not from a navigation.
    expect(await page.evaluate(() => (globalThis as { loadedOnce?: boolean }).loadedOnce)).toBe(true);
    expect(await page.getByTestId('live-indicator').getAttribute('data-live')).toBe('true');
  });

  it('an admin manages users, in light and dark', async () => {
    const page = await newPage(ADMIN.name, ADMIN.password);
    await page.goto(`${recon.url}/#/users`);
    await page.locator('[data-testid="user-row"][data-user="victor"]').waitFor();
    await screenshot(page, 'users');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${recon.url}/#/overview`);
    await page.getByTestId('kind-card-order-without-dispatch').waitFor();
    await screenshot(page, 'overview-dark');
  });
});
