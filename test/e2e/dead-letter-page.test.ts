import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, signInThroughUi } from '../support/browser.ts';
import { type DemoHarness, startDemo } from '../support/demo-harness.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { horizontalOverflow, PHONE } from '../support/layout-checks.ts';
import { type ReconProcess, spawnRecon } from '../support/recon-process.ts';
import { ADMIN_AUTH, addUser } from '../support/users.ts';
import { waitFor } from '../support/wait-for.ts';

// A poison letter on its own page, in real Chromium against a real Recon and the demo: the actions are right there,
// discard is the recommended one, redrive warns that the consumer will reject it again, and when it does, the copy
// that comes back says which letter it replays and which action redrove it.

const PASSWORD = 'pw-olga-correct-horse'; // what addUser sets
let env: IsolatedEnv;
let demo: DemoHarness;
let recon: ReconProcess;
let browser: Browser;

beforeAll(async () => {
  env = await createIsolatedEnv('e2e_dead_letter_page');
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

// biome-ignore lint/suspicious/noExplicitAny: a JSON reply the test inspects
const api = async (path: string): Promise<any> => {
  const response = await fetch(`${recon.url}${path}`, { headers: { authorization: ADMIN_AUTH } });
  return response.ok ? response.json() : undefined;
};

/** The stored letter with this dedupe key, once Recon has it and its finding is open (the actions act on that). */
async function letterWithKey(key: string): Promise<{ id: string }> {
  let letter: { id: string; dedupeKey: string } | undefined;
  await waitFor(
    `letter ${key} and its open finding`,
    async () => {
      const page = await api(`/api/dead-letters?q=${encodeURIComponent(key)}`);
      letter = page?.items.find((l: { dedupeKey: string }) => l.dedupeKey === key);
      const finding = letter && (await api(`/api/findings/${encodeURIComponent(`dead-letter:${key}`)}`));
      return finding?.state === 'open';
    },
    { timeoutMs: 60_000 },
  );
  return letter!;
}

async function openLetter(id: string, viewport = { width: 1366, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  await signInThroughUi(page, recon.url, 'olga', PASSWORD);
  await page.setViewportSize(viewport);
  await page.goto(`${recon.url}/#/dead-letters/${id}`);
  await page.getByTestId('letter-actions').getByRole('button').first().waitFor({ timeout: 30_000 });
  return page;
}

async function confirm(page: Page, action: 'redrive' | 'discard', reason: string) {
  await page.getByTestId(`action-button-${action}`).click();
  await page.getByTestId('confirm-reason').fill(reason);
  await page.getByTestId('confirm-submit').click();
  await page.getByTestId('action-result').waitFor({ timeout: 30_000 });
}

const text = async (page: Page, testId: string) => (await page.getByTestId(testId).textContent()) ?? '';

describe("a dead letter's page", () => {
  it('warns before redriving a poison letter, and links the copy that died again to it and its redrive', async () => {
    const poison = await demo.system.orders.publishPoison();
    if (!poison) throw new Error('the demo could not publish a poison message');
    const first = await letterWithKey(poison.messageId);
    const page = await openLetter(first.id);

    expect(await text(page, 'letter-poison')).toContain('could not be parsed');
    expect(await page.getByTestId('repair-choice-discard').getAttribute('data-recommended')).toBe('true');
    expect(await page.getByTestId('repair-choice-redrive').getAttribute('data-recommended')).toBe('false');
    await page.getByTestId('action-button-redrive').click();
    expect(await text(page, 'confirm-warning')).toContain(
      'This body could not be parsed: the consumer will very likely reject it again',
    );
    // The poison letter names no order: the confirmation must not ask about "order ?".
    expect(await text(page, 'confirm-text')).not.toContain('order ?');
    await screenshot(page, 'dead-letter-redrive-warning');
    await page.getByTestId('confirm-cancel').click();

    await confirm(page, 'redrive', 'consumer was patched, trying once');
    expect(await page.getByTestId('action-result').getAttribute('data-status')).toBe('done');
    expect(await text(page, 'action-next-step')).toContain('Recon watches for it to die again');
    await page.getByTestId('letter-settled').waitFor();
    expect(await text(page, 'dead-letter-state')).toContain('redriven');
    const actionHref = await page.locator('[data-testid="action-result"] a').first().getAttribute('href');
    await screenshot(page, 'dead-letter-redriven');

    // The consumer rejects it again: the copy is a new letter that names the first and the redrive.
    const replay = await letterWithKey(`${poison.messageId}#replay-1`);
    const replayPage = await openLetter(replay.id, PHONE);
    expect(await text(replayPage, 'dead-letter-replay')).toContain(`Replay 1 of letter #${first.id}`);
    expect(await text(replayPage, 'dead-letter-replay')).toContain('redriven by olga');
    expect(await replayPage.getByTestId('replay-first-letter').getAttribute('href')).toBe(`#/dead-letters/${first.id}`);
    expect(await replayPage.getByTestId('replay-action').getAttribute('href')).toBe(actionHref);
    const overflow = await horizontalOverflow(replayPage, PHONE.width);
    expect(overflow.scrollWidth, overflow.culprits.join(', ')).toBeLessThanOrEqual(PHONE.width);
    await screenshot(replayPage, 'dead-letter-replay-phone');

    // Discard, the recommended choice, settles it for good.
    await confirm(replayPage, 'discard', 'poison: the producer is being fixed');
    expect(await replayPage.getByTestId('action-result').getAttribute('data-status')).toBe('done');
    await replayPage.getByTestId('letter-settled').waitFor();
    expect(await text(replayPage, 'dead-letter-state')).toContain('discarded');
  });

  it('finds the poison letter by the order id inside its unparseable body', async () => {
    const poison = await demo.system.orders.publishPoison();
    if (!poison) throw new Error('the demo could not publish a poison message');
    const letter = await letterWithKey(poison.messageId);
    const detail = await api(`/api/dead-letters/${letter.id}`);
    const orderId = /"orderId":"([0-9a-f-]{36})"/.exec(detail.body.text)?.[1];
    expect(detail.isParseable).toBe(false);
    const found = await api(`/api/dead-letters?q=${orderId}`);
    expect(found.items.map((l: { id: string }) => l.id)).toEqual([letter.id]);
  });
});
