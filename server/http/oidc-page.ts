import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

// The page a browser lands on when a sign-in with the OpenID provider does not end in a session. It is a page, not
// JSON: the browser came here by a redirect from the provider, with no UI around it. Every text is escaped (a
// reason can quote the provider's answer), and the page has no script, so the CSP stays as strict as elsewhere.

export interface Refusal {
  status: ContentfulStatusCode;
  /** A short title: what happened. */
  title: string;
  /** What it means and what the user can do. */
  detail: string;
}

export function refusalPage(c: Context, { status, title, detail }: Refusal): Response {
  c.header('Cache-Control', 'no-store');
  return c.html(
    `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign-in refused · Recon</title></head>
<body>
<main data-testid="signin-refused">
<h1>${escapeHtml(title)}</h1>
<p data-testid="signin-refused-detail">${escapeHtml(detail)}</p>
<p><a href="/" data-testid="signin-again">Back to sign-in</a></p>
</main>
</body>
</html>`,
    status,
  );
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => ESCAPES[char]!);
