import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, signInThroughUi } from '../support/browser.ts';
import { type DemoHarness, placeOrders, startDemo } from '../support/demo-harness.ts';
import { placeOrderAndLoseItsDispatch } from '../support/dispatch-rows.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { boxOf, DESKTOP, horizontalOverflow, isInside, PHONE } from '../support/layout-checks.ts';
import { type ReconProcess, spawnRecon } from '../support/recon-process.ts';
import { ADMIN } from '../support/users.ts';
import { waitFor } from '../support/wait-for.ts';

// The UI on a phone (390×844) and on a desktop, in real Chromium against a real Recon and the demo: every page
// without sideways scrolling, dialogs inside the screen with Cancel reachable, the nav folded behind a menu button;
// every time with its zone, a UTC toggle that sticks; overview cards coloured by severity. Each page is saved as
// phone-<page>.png and desktop-<page>.png under test-results/screenshots.

let env: IsolatedEnv;
let demo: DemoHarness;
let recon: ReconProcess;
let browser: Browser;
const pages: Array<{ name: string; hash: string; ready: string }> = [];
let openFinding = '';
/** Script errors in any page: a layout that "passes" because the page crashed to a blank screen passes nothing. */
const pageErrors: string[] = [];

/** A JSON POST from the signed-in page, as the UI sends it (CSRF token, idempotency key). */
async function postFromPage(page: Page, path: string, body: unknown): Promise<{ id: string }> {
  return await page.evaluate(
    async ({ path, body }) => {
      const session = (await (await fetch('/api/session')).json()) as { csrfToken: string };
      const response = await fetch(path, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-csrf-token': session.csrfToken,
          'idempotency-key': crypto.randomUUID(),
        },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`POST ${path} → ${response.status} ${await response.text()}`);
      return (await response.json()) as { id: string };
    },
    { path, body },
  );
}

const getFromPage = <T>(page: Page, path: string): Promise<T> =>
  page.evaluate(async (p) => (await (await fetch(p)).json()) as T, path);

async function signedIn(
  view: typeof PHONE,
  timezoneId = 'Europe/Berlin',
): Promise<{ context: BrowserContext; page: Page }> {
  const isPhone = view.width < 600;
  const context = await browser.newContext({
    viewport: view,
    isMobile: isPhone,
    hasTouch: isPhone,
    locale: 'en-GB',
    timezoneId,
    colorScheme: 'light',
  });
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(`${view.width}px: ${err.message}`));
  await signInThroughUi(page, recon.url, ADMIN.name, ADMIN.password);
  return { context, page };
}

beforeAll(async () => {
  env = await createIsolatedEnv('e2e_phone_layout');
  demo = await startDemo(env);
  recon = await spawnRecon(env);
  browser = await launchChromium();
  await placeOrders(demo, 5);
  for (let i = 0; i < 2; i++) await demo.system.orders.publishPoison();
  const lost = [];
  for (let i = 0; i < 3; i++) lost.push(await placeOrderAndLoseItsDispatch(demo));

  // An action, a bulk run and a dead letter to visit: made through the API, as the UI would.
  const { context, page } = await signedIn(DESKTOP);
  type Items<T> = { items: T[] };
  const findings = await waitFor(
    'three orders without dispatch',
    async () => {
      const answer = await getFromPage<Items<{ id: string }>>(
        page,
        '/api/findings?kind=order-without-dispatch&state=open',
      );
      return answer.items.length >= 3 ? answer.items : undefined;
    },
    { timeoutMs: 40_000 },
  );
  const letters = await waitFor(
    'a dead letter',
    async () => {
      const answer = await getFromPage<Items<{ id: string }>>(page, '/api/dead-letters');
      return answer.items[0];
    },
    { timeoutMs: 40_000 },
  );
  const [first, second, third] = findings.map((f) => f.id);
  openFinding = third!;
  const action = await postFromPage(page, `/api/findings/${encodeURIComponent(first!)}/actions`, {
    action: 'redeliver',
    reason: 'e2e: phone layout',
  });
  const bulk = await postFromPage(page, '/api/bulk-actions', {
    action: 'redeliver',
    reason: 'e2e: phone layout bulk',
    findingIds: [second],
  });
  await context.close();

  pages.push(
    { name: 'overview', hash: '#/overview', ready: 'kind-card-dead-letter' },
    { name: 'findings', hash: '#/findings?state=open', ready: 'finding-row' },
    { name: 'finding', hash: `#/findings/${encodeURIComponent(openFinding)}`, ready: 'finding-state' },
    { name: 'order', hash: `#/orders/${lost[2]}`, ready: 'timeline-event' },
    { name: 'dead-letters', hash: '#/dead-letters', ready: 'dead-letter-row' },
    { name: 'dead-letter', hash: `#/dead-letters/${encodeURIComponent(letters.id)}`, ready: 'dead-letter-body' },
    { name: 'actions', hash: '#/actions', ready: 'action-row' },
    { name: 'action', hash: `#/actions/${encodeURIComponent(action.id)}`, ready: 'action-detail' },
    { name: 'bulk', hash: `#/bulk/${encodeURIComponent(bulk.id)}`, ready: 'bulk-status' },
    { name: 'audit', hash: '#/audit', ready: 'audit-groups' },
    { name: 'users', hash: '#/users', ready: 'user-row' },
  );
});

afterEach(() => {
  expect(pageErrors.splice(0)).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await recon?.stop();
  await demo?.stop();
  await env?.destroy();
});

describe('the UI on a phone', () => {
  it('shows every page without horizontal scrolling at 390×844, and at desktop size', async () => {
    const tooWide = [];
    for (const view of [PHONE, DESKTOP]) {
      const size = view === PHONE ? 'phone' : 'desktop';
      const { context, page } = await signedIn(view);
      for (const { name, hash, ready } of pages) {
        await page.goto(`${recon.url}/${hash}`);
        await page.getByTestId(ready).first().waitFor({ timeout: 30_000 });
        await screenshot(page, `${size}-${name}`);
        const overflow = await horizontalOverflow(page, view.width);
        if (overflow.scrollWidth > view.width) tooWide.push({ page: `${size} ${name}`, ...overflow });
      }
      await context.close();
    }
    // All pages in one assertion: the list of the too-wide ones, each with the elements that stick out.
    expect(tooWide).toEqual([]);
  });

  it('folds the nav behind a menu button that opens onto every page and Sign out', async () => {
    const { context, page } = await signedIn(PHONE);
    await page.getByTestId('kind-card-dead-letter').waitFor();
    expect(await page.getByTestId('signout').isVisible()).toBe(false);
    await page.getByTestId('nav-menu').click();
    await screenshot(page, 'phone-nav-open');
    expect(isInside(await boxOf(page.getByTestId('signout')), PHONE)).toBe(true);
    expect(isInside(await boxOf(page.getByTestId('nav-users')), PHONE)).toBe(true);
    await page.getByTestId('nav-findings').click();
    await page.getByTestId('finding-row').first().waitFor();
    // Following a link closes the menu: the page, not the menu, is what the tap asked for.
    expect(await page.getByTestId('signout').isVisible()).toBe(false);
    await context.close();
  });

  it('keeps the confirmation and the bulk dialog inside the screen, Cancel tappable', async () => {
    const { context, page } = await signedIn(PHONE);
    await page.goto(`${recon.url}/#/findings/${encodeURIComponent(openFinding)}`);
    await page.getByTestId('action-button-redeliver').click();
    const confirm = page.getByTestId('confirm-dialog');
    await confirm.waitFor();
    await screenshot(page, 'phone-confirm-dialog');
    expect(isInside(await boxOf(confirm), PHONE)).toBe(true);
    await page.getByTestId('confirm-cancel').tap();
    await confirm.waitFor({ state: 'hidden' });

    await page.goto(`${recon.url}/#/findings?state=open`);
    await page.getByTestId('finding-row').first().waitFor();
    await page.getByTestId('select-row').first().tap();
    await page.getByTestId('bulk-action').tap();
    const bulk = page.getByTestId('bulk-dialog');
    await bulk.waitFor();
    await screenshot(page, 'phone-bulk-dialog');
    expect(isInside(await boxOf(bulk), PHONE)).toBe(true);
    await page.getByTestId('bulk-dialog-cancel').tap();
    await bulk.waitFor({ state: 'hidden' });
    await context.close();
  });
});

describe('times and colours', () => {
  // Europe/Berlin, where local time and UTC differ all year: a label-less local time would pass for UTC.
  it('shows every time with its zone, relative ages in lists, and a UTC toggle that is remembered', async () => {
    const { context, page } = await signedIn(DESKTOP);
    await page.goto(`${recon.url}/#/findings/${encodeURIComponent(openFinding)}`);
    await page.getByTestId('finding-state').waitFor();
    const firstTime = page.locator('main time').first();
    expect(await firstTime.textContent()).toMatch(/\d\d:\d\d(:\d\d)? CES?T$/);

    await page.goto(`${recon.url}/#/findings?state=open`);
    const age = page.getByTestId('finding-row').first().locator('time').first();
    expect(await age.textContent()).toMatch(/ago$|^just now$/);
    expect(await age.getAttribute('title')).toMatch(/\d\d:\d\d:\d\d CES?T/);

    await page.getByTestId('time-zone-toggle').click();
    await expect.poll(() => age.getAttribute('title')).toMatch(/\d\d:\d\d:\d\d UTC$/);
    await page.reload();
    // Let the reloaded app start before the next hash change: a change before its listener is set is not seen.
    await page.getByTestId('finding-row').first().waitFor();
    await page.goto(`${recon.url}/#/findings/${encodeURIComponent(openFinding)}`);
    await page.getByTestId('finding-state').waitFor();
    expect(await page.locator('main time').first().textContent()).toMatch(/\d\d:\d\d(:\d\d)? UTC$/);
    await context.close();
  });

  it('colours the overview cards by severity: a critical kind unlike a warning one', async () => {
    const { context, page } = await signedIn(DESKTOP);
    const critical = page.getByTestId('kind-card-order-without-dispatch');
    const warning = page.getByTestId('kind-card-dead-letter');
    await expect.poll(() => warning.getAttribute('data-open')).not.toBe('0');
    expect(await critical.getAttribute('data-severity')).toBe('critical');
    expect(await warning.getAttribute('data-severity')).toBe('warning');
    const border = (card: typeof critical) =>
      card.evaluate((el) => el.ownerDocument.defaultView?.getComputedStyle(el).borderLeftColor);
    expect(await border(critical)).not.toBe(await border(warning));
    await context.close();
  });
});
