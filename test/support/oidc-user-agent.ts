// The browser's part of a sign-in at the test provider, without a browser, for integration tests: follows redirects,
// keeps the provider's cookies and submits its development login and consent forms. The e2e test does the same in
// Chromium; this one lets the refusals run fast and many.

const MAX_STEPS = 20;

/**
 * Starts at the provider's authorization URL and returns the URL the provider sends the browser back to: the first
 * redirect whose target starts with `callbackUrl` (carrying `code` and `state`, or `error`).
 */
export async function signInAtProvider(authorizationUrl: string, login: string, callbackUrl: string): Promise<URL> {
  const cookies = new Map<string, string>();
  let next: { url: URL; form?: URLSearchParams } = { url: new URL(authorizationUrl) };
  for (let step = 0; step < MAX_STEPS; step++) {
    const response = await fetch(next.url, {
      method: next.form ? 'POST' : 'GET',
      body: next.form,
      redirect: 'manual',
      headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
    });
    keepCookies(cookies, response.headers.getSetCookie());
    const location = response.headers.get('location');
    if (location) {
      const target = new URL(location, next.url);
      if (target.href.startsWith(callbackUrl)) return target;
      next = { url: target };
      continue;
    }
    const page = await response.text();
    if (response.status !== 200) throw new Error(`provider answered ${response.status} at ${next.url}: ${page}`);
    next = { url: new URL(formAction(page), next.url), form: formFor(page, login) };
  }
  throw new Error(`no redirect to ${callbackUrl} after ${MAX_STEPS} steps`);
}

function formAction(page: string): string {
  const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
  if (!action) throw new Error(`no form on the provider's page: ${page.slice(0, 500)}`);
  return action.replaceAll('&amp;', '&');
}

/** The development interactions: a login form (any password) and a consent form. */
function formFor(page: string, login: string): URLSearchParams {
  const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1];
  if (prompt === 'login') return new URLSearchParams({ prompt, login, password: 'any password' });
  if (prompt === 'consent') return new URLSearchParams({ prompt });
  throw new Error(`unexpected provider page: ${page.slice(0, 500)}`);
}

function keepCookies(cookies: Map<string, string>, setCookies: string[]): void {
  for (const line of setCookies) {
    const [pair = '', ...attributes] = line.split(';');
    const at = pair.indexOf('=');
    const name = pair.slice(0, at).trim();
    const isDeleted = attributes.some((a) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(a));
    if (isDeleted) cookies.delete(name);
    else cookies.set(name, pair.slice(at + 1).trim());
  }
}
