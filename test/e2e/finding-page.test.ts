import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, signInThroughUi } from '../support/browser.ts';
import { type DemoHarness, startDemo } from '../support/demo-harness.ts';
import { countDispatches, placeOrderAndLoseItsDispatch } from '../support/dispatch-rows.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { type ReconProcess, spawnRecon } from '../support/recon-process.ts';
import { addUser } from '../support/users.ts';
import { waitFor } from '../support/wait-for.ts';

// The finding page as an on-call engineer meets it in real headless Chromium, against a real Recon process and the
// demo system: the words first (what is wrong, the likely cause, what each repair does to the customer, which one
// the evidence recommends), the evidence as linked facts with the raw JSON behind a toggle, and a repair followed
// to "resolved" on the same page, without a reload. A press from a stale page is told the finding's state.

const PASSWORD = 'pw-olga-correct-horse'; // what addUser sets
const findingUrl = (id: string) => `/#/findings/${encodeURIComponent(id)}`;

let env: IsolatedEnv;
let demo: DemoHarness;
let recon: ReconProcess;
let browser: Browser;

beforeAll(async () => {
  env = await createIsolatedEnv('e2e_finding_page');
  demo = await startDemo(env);
  recon = await spawnRecon(env);
  await addUser(env, 'olga', 'operator');
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await recon?.stop();
  await demo?.stop();
  await env?.destroy();
});

async function openFinding(id: string, viewport = { width: 1366, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  // Signed in wide: on a phone the nav (and the user badge the sign-in waits for) folds away.
  await signInThroughUi(page, recon.url, 'olga', PASSWORD);
  await page.setViewportSize(viewport);
  await page.goto(`${recon.url}${findingUrl(id)}`);
  // The page polls: a finding the next cycle opens appears on it without a reload.
  await page.getByTestId('finding-explanation').waitFor({ timeout: 30_000 });
  return page;
}

const text = async (page: Page, testId: string) => (await page.getByTestId(testId).textContent()) ?? '';

/** The finding page's record of its order, as "source type" per event, oldest first (loaded once it shows). */
async function recordedEvents(page: Page): Promise<string[]> {
  const events = page.locator('[data-testid="order-record-events"] [data-testid="timeline-event"]');
  await page.getByTestId('order-record-events').waitFor();
  return events.evaluateAll((items) =>
    items.map((item) => `${item.getAttribute('data-source')} ${item.getAttribute('data-type')}`),
  );
}

describe('the finding page', () => {
  it('order without a dispatch: explains itself, recommends redeliver, and follows it to resolved', async () => {
    const orderId = await placeOrderAndLoseItsDispatch(demo);
    const id = `order-without-dispatch:${orderId}`;
    const page = await openFinding(id);
    await page.evaluate(() => {
      (globalThis as { isSameDocument?: boolean }).isSameDocument = true;
    });

    expect(await text(page, 'finding-explanation')).toContain(`Order ${orderId}`);
    // Instants in the words are shown in the page's zone, like every other time, never as raw ISO text.
    expect(await text(page, 'finding-explanation')).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
    expect(await text(page, 'finding-cause')).toMatch(/never created a dispatch/);
    expect(await page.getByTestId('finding-recommendation').getAttribute('data-action')).toBe('redeliver');
    const choice = page.getByTestId('repair-choice-redeliver');
    expect(await choice.getAttribute('data-recommended')).toBe('true');
    expect(await choice.textContent()).toContain(`For the customer: The customer of order ${orderId} gets a courier`);
    // Facts, linked; the raw JSON only on demand.
    const order = page.locator('[data-testid="evidence-facts"] dd[data-fact="orderId"] a');
    expect(await order.getAttribute('href')).toBe(`#/orders/${orderId}`);
    expect(await page.getByTestId('finding-evidence').isVisible()).toBe(false);
    await page.getByTestId('evidence-raw-toggle').click();
    expect(await text(page, 'finding-evidence')).toContain('"cancelledDispatches": 0');
    // The order's record beside the finding: published, confirmed and processed, and no dispatch left. Sorted: the
    // consumer may record its inbox row before the relay records the broker's confirm.
    expect((await recordedEvents(page)).sort()).toEqual([
      'inbox processed',
      'order created',
      'outbox confirmed',
      'outbox created',
      'outbox published',
    ]);
    await screenshot(page, 'finding-order-without-dispatch');

    // A second page, loaded now, whose view we freeze at "open": the stale page of the issue.
    const stale = await openFinding(id);
    const frozen = await (await stale.request.get(`${recon.url}/api/findings/${encodeURIComponent(id)}`)).text();
    await stale.route(`**/api/findings/${encodeURIComponent(id)}`, (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: frozen }),
    );

    await page.getByTestId('action-button-redeliver').click();
    await page.getByTestId('confirm-reason').fill('e2e: the courier app lost this order');
    await page.getByTestId('confirm-submit').click();
    await expect
      .poll(() => page.getByTestId('action-result').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('done');
    await waitFor('the redelivered order dispatched', async () => (await countDispatches(demo, orderId)) === 1);

    // The next cycles resolve it, and the same document shows it: who resolved it, and no buttons left.
    const resolution = page.getByTestId('finding-resolution');
    await resolution.waitFor({ timeout: 30_000 });
    expect(await resolution.textContent()).toMatch(/^Resolved at .+ by action redeliver \(olga\)\.$/);
    expect(await resolution.getAttribute('data-resolved-by')).not.toBe('');
    expect(await page.locator('[data-testid^="action-button-"]').count()).toBe(0);
    expect(await page.getByTestId('finding-recommendation').count()).toBe(0);
    // The record follows too: the redelivered message's dispatch.
    await expect.poll(() => recordedEvents(page), { timeout: 10_000 }).toContain('dispatch assigned');
    expect(await page.evaluate(() => (globalThis as { isSameDocument?: boolean }).isSameDocument)).toBe(true);
    await screenshot(page, 'finding-resolved-live');

    // The stale page still offers redeliver; the server refuses, and the page says why in words.
    await stale.getByTestId('action-button-redeliver').click();
    await stale.getByTestId('confirm-reason').fill('e2e: pressed from a page left open');
    await stale.getByTestId('confirm-submit').click();
    const refusal = stale.getByTestId('action-result');
    await expect.poll(() => refusal.getAttribute('data-status'), { timeout: 10_000 }).toBe('already-resolved');
    expect(await refusal.getAttribute('role')).toBe('status');
    await stale.unroute(`**/api/findings/${encodeURIComponent(id)}`);
    await expect
      .poll(() => refusal.textContent(), { timeout: 10_000 })
      .toMatch(/^Already resolved at .+ by action redeliver \(olga\): nothing to repair\.$/);
    expect(await refusal.textContent()).not.toMatch(/\d{4}-\d\d-\d\dT/);
    await screenshot(stale, 'finding-stale-press');
  });

  it('dispatch without an order: recommends make-up-order and says cancel leaves the customer with nothing', async () => {
    demo.faults['replenisher-down'] = 1;
    const { orderId } = (await demo.system.orders.placeOrderThenRollback())!;
    await waitFor('the replenisher miss', async () => (await demo.ledger('replenisher-down')).length === 1);
    demo.faults['replenisher-down'] = 0;
    const page = await openFinding(`dispatch-without-order:${orderId}`);

    expect(await text(page, 'finding-cause')).toMatch(/rolled back/);
    expect(await page.getByTestId('finding-recommendation').getAttribute('data-action')).toBe('make-up-order');
    expect(await page.getByTestId('repair-choice-make-up-order').getAttribute('data-recommended')).toBe('true');
    const cancel = page.getByTestId('repair-choice-cancel-dispatch');
    expect(await cancel.getAttribute('data-recommended')).toBe('false');
    expect(await cancel.textContent()).toContain('gets nothing');
    const dispatches = page.locator('[data-testid="evidence-facts"] dd[data-fact="dispatches"] a');
    expect(await dispatches.first().textContent()).toMatch(/^dispatch \d+ \(assigned, from message /);
    expect(await dispatches.first().getAttribute('href')).toBe(`#/orders/${orderId}`);
    // The record says what the dispatch side holds and that the orders side has nothing.
    await page.getByTestId('order-record-no-order').waitFor();
    expect(await recordedEvents(page)).toContain('dispatch assigned');
    expect((await recordedEvents(page)).filter((event) => event.startsWith('order '))).toEqual([]);
    await screenshot(page, 'finding-dispatch-without-order');

    const phone = await openFinding(`dispatch-without-order:${orderId}`, { width: 390, height: 844 });
    await screenshot(phone, 'finding-dispatch-without-order-phone');
  });
});
