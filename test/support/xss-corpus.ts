import type { Page } from 'playwright-core';

// Markup and script that would run (setting window.__xss) if the UI ever parsed a field as HTML or evaluated it.
// No commas: one of them names a queue in RECON_WATCHED_QUEUES, a comma-separated list.
export const PAYLOADS = [
  '<img src=x onerror="window.__xss=(window.__xss||0)+1">',
  '<script>window.__xss=1</script>',
  '"><svg onload=window.__xss=1>',
  'javascript:window.__xss=1',
  '<a href="javascript:window.__xss=1">click</a>',
  "{{constructor.constructor('window.__xss=1')()}}",
  '</pre><iframe srcdoc="<script>parent.__xss=1</script>">',
];

/** The operator-visible fields this corpus is placed in; each gets its own payload, tagged with the field's name. */
const FIELDS = [
  'queue',
  'exchange',
  'routingKey',
  'messageId',
  'deathReason',
  'deathQueue',
  'headerName',
  'headerValue',
  'contentType',
  'orderStatus',
  'customerId',
  'eventType',
  'lastError',
  'courier',
  'dispatchStatus',
  'redriveReason',
  'discardReason',
  'idempotencyKey',
  'linkKind',
  'linkReason',
  'linkQuery',
] as const;
export type HostileField = (typeof FIELDS)[number];

/** e.g. hostile.queue = `"><svg onload=window.__xss=1> #queue`: a failure names the field it came from. */
export const hostile = Object.fromEntries(
  FIELDS.map((field, i) => [field, `${PAYLOADS[i % PAYLOADS.length]} #${field}`]),
) as Record<HostileField, string>;

/** Every payload once, one a line, for the message bodies. */
export const bodyPayloads = PAYLOADS.map((payload, i) => `${payload} #body-${i}`);

/** The few browser shapes the page functions below use: the project's tsconfig has no DOM lib (it is server code). */
interface PageElement {
  outerHTML: string;
  attributes: Iterable<{ name: string; value: string }>;
  /** Of an input. */
  value: string;
  /** Of a script. */
  src: string;
}
interface PageGlobals {
  document: { body: { textContent: string | null }; querySelectorAll(selectors: string): Iterable<PageElement> };
  __xss?: unknown;
}

/**
 * The texts the page does not show as text. A text counts as shown verbatim or JSON-escaped (the UI pretty-prints
 * JSON evidence, headers and bodies); either way its `<` survived as a character, not as markup.
 */
export function missingTexts(page: Page, texts: string[]): Promise<string[]> {
  return page.evaluate((wanted) => {
    const { document } = globalThis as unknown as PageGlobals;
    // An input shows its value as text too (the search boxes are filled from the URL).
    const values = [...document.querySelectorAll('input')].map((input) => input.value);
    const text = [document.body.textContent ?? '', ...values].join('\n');
    return wanted.filter((t) => !text.includes(t) && !text.includes(JSON.stringify(t).slice(1, -1)));
  }, texts);
}

/**
 * What a payload would leave behind had it been parsed as HTML: the UI renders no img, svg or frame of its own, sets
 * no on* attribute (Preact adds listeners), links only to '#/…' and loads scripts only from /assets/.
 */
export function injectedMarkup(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const browser = globalThis as unknown as PageGlobals;
    const all = (selectors: string) => [...browser.document.querySelectorAll(selectors)];
    const found = all('img, svg, iframe, frame, object, embed').map((el) => el.outerHTML);
    for (const el of all('script')) if (!el.src.includes('/assets/')) found.push(el.outerHTML);
    for (const el of all('*')) {
      for (const attr of el.attributes) {
        const isUrl = ['href', 'src', 'action', 'formaction'].includes(attr.name);
        if (/^on/i.test(attr.name) || (isUrl && /^\s*javascript:/i.test(attr.value))) found.push(el.outerHTML);
      }
    }
    if (browser.__xss !== undefined) found.push(`window.__xss = ${String(browser.__xss)}`);
    return found;
  });
}
