import type { Locator, Page } from 'playwright-core';

/** The phone the on-call engineer holds: an iPhone 12-14 sized screen, touch, no desktop fallbacks. */
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1366, height: 768 };

/**
 * How far the page is wider than `width`, and the elements sticking out past its right edge (deepest first), so a
 * failure names the culprit instead of only saying "786 > 390". Compared with the width we set, not innerWidth: a
 * mobile browser zooms out to fit a too-wide page, and innerWidth grows with it.
 */
export async function horizontalOverflow(
  page: Page,
  width: number,
): Promise<{ scrollWidth: number; culprits: string[] }> {
  const scrollWidth = await page.locator('html').evaluate((html) => html.scrollWidth);
  const culprits = await page.locator('body *').evaluateAll((elements, limit) => {
    const describe = (el: (typeof elements)[number]) => {
      const testId = el.getAttribute('data-testid');
      const classes = el.getAttribute('class')?.trim().split(/\s+/).join('.');
      const right = Math.round(el.getBoundingClientRect().right);
      return `${el.tagName.toLowerCase()}${testId ? `[${testId}]` : ''}${classes ? `.${classes}` : ''} right=${right}`;
    };
    return (
      elements
        .filter((el) => el.getBoundingClientRect().right > limit + 1)
        // Inside a scroll box (a dialog, a <pre>, a chart) is that box's business, not the page's.
        .filter((el) => !el.closest('dialog, pre, .chart-box'))
        .reverse()
        .slice(0, 8)
        .map(describe)
    );
  }, width);
  return { scrollWidth, culprits };
}

/** The element's box, to compare with the viewport: a dialog half off-screen has a Cancel no thumb can reach. */
export async function boxOf(locator: Locator): Promise<{ x: number; y: number; right: number; bottom: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('the element has no box: it is not rendered');
  return { x: box.x, y: box.y, right: box.x + box.width, bottom: box.y + box.height };
}

export const isInside = (box: { x: number; y: number; right: number; bottom: number }, view: typeof PHONE) =>
  box.x >= 0 && box.y >= 0 && box.right <= view.width && box.bottom <= view.height;
