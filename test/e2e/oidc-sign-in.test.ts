import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot } from '../support/browser.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { OIDC_ROLE_ENV, startTestProvider, type TestProvider } from '../support/oidc-provider.ts';
import { freePort, type ReconProcess, spawnRecon } from '../support/recon-process.ts';

// Single sign-on in real headless Chromium: a real Recon process and a real OpenID provider (oidc-provider on
// loopback, its own login and consent pages). The operator clicks "Sign in with Test IdP", signs in at the
// provider, consents, lands back in Recon with the role their group gives; a user in no mapped group gets a page
// that says so. Screenshots under test-results/screenshots.

let env: IsolatedEnv;
let provider: TestProvider;
let recon: ReconProcess;
let browser: Browser;

beforeAll(async () => {
  env = await createIsolatedEnv('e2e_oidc');
  const port = await freePort();
  provider = await startTestProvider([`http://127.0.0.1:${port}/api/session/oidc/callback`]);
  recon = await spawnRecon(env, { PORT: String(port), RECON_OIDC_ISSUER: provider.issuer, ...OIDC_ROLE_ENV });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await recon?.stop();
  await provider?.stop();
  await env?.destroy();
});

/** From Recon's sign-in page through the provider's login and consent forms, back to Recon. */
async function signInWithProvider(login: string, shotName?: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, colorScheme: 'light' });
  const page = await context.newPage();
  await page.goto(`${recon.url}/#/overview`);
  const button = page.getByTestId('signin-oidc');
  expect(await button.textContent()).toBe('Sign in with Test IdP');
  if (shotName) await screenshot(page, `${shotName}-recon`);
  await button.click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password at the test provider');
  if (shotName) await screenshot(page, `${shotName}-provider-login`);
  await page.locator('button[type="submit"]').click();
  await page.locator('input[name="prompt"][value="consent"]').waitFor({ state: 'attached' });
  await page.locator('button[type="submit"]').click();
  await page.waitForURL((url) => url.href.startsWith(recon.url));
  return page;
}

describe('single sign-on in Chromium', () => {
  it('an operator clicks "Sign in with Test IdP", signs in at the provider and is back as operator', async () => {
    const page = await signInWithProvider('olga', 'oidc-sign-in');
    await page.getByTestId('user-badge').waitFor();
    expect(await page.getByTestId('user-badge').textContent()).toContain('olga (operator)');
    await screenshot(page, 'oidc-signed-in');
  });

  it('a viewer-group user is a viewer', async () => {
    const page = await signInWithProvider('vera');
    await page.getByTestId('user-badge').waitFor();
    expect(await page.getByTestId('user-badge').textContent()).toContain('vera (viewer)');
  });

  it('a user in no mapped group gets a page that says so, and a way back', async () => {
    const page = await signInWithProvider('nils');
    const refusal = page.getByTestId('signin-refused');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/No access to Recon.*nils, your groups at Test IdP \(staff\)/s);
    await screenshot(page, 'oidc-no-access');
    await page.getByTestId('signin-again').click();
    await page.getByTestId('signin-oidc').waitFor();
  });

  it('the password form is still there for local users', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${recon.url}/#/overview`);
    await page.getByTestId('signin-name').waitFor();
    await page.getByTestId('signin-password').waitFor();
  });
});
