import { mkdir } from 'node:fs/promises';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium; a browser download never works here (and CI must not depend on one). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = 'test-results/screenshots';

/**
 * Headless Chromium with the flags this machine needs: no sandbox (tests run as root), and none of Chromium's
 * background connections, which the closed network refuses many at a time.
 */
export async function launchChromium(): Promise<Browser> {
  try {
    return await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  } catch (err) {
    throw new Error(
      `Chromium did not start from ${CHROMIUM}. Install it with: bash scripts/ensure-tools.sh (Debian package chromium)`,
      { cause: err },
    );
  }
}

/** Signs in through the UI's own form, as an operator would. */
export async function signInThroughUi(page: Page, baseUrl: string, name: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/#/overview`);
  await page.getByTestId('signin-name').fill(name);
  await page.getByTestId('signin-password').fill(password);
  await page.getByTestId('signin-submit').click();
  // Attached, not visible: on a phone the badge is in the folded menu.
  await page.getByTestId('user-badge').waitFor({ state: 'attached' });
}

/** A full-page screenshot under test-results/screenshots, for a person to look at after the run. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}
