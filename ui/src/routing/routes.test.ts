import { describe, expect, it } from 'vitest';
import { href, navPageOf, parseRoute } from './routes.ts';

describe('parseRoute', () => {
  it('opens the overview on an empty hash', () => {
    expect(parseRoute('')).toEqual({ page: 'overview' });
    expect(parseRoute('#/')).toEqual({ page: 'overview' });
  });

  it('reads the findings filters from the query, state open by default', () => {
    expect(parseRoute('#/findings?kind=stuck-outbox&q=abc')).toEqual({
      page: 'findings',
      kind: 'stuck-outbox',
      state: 'open',
      q: 'abc',
    });
  });

  it('keeps a search text that holds a question mark', () => {
    expect(parseRoute(href.findings({ q: 'a?b' }))).toMatchObject({ page: 'findings', q: 'a?b' });
  });

  it('round-trips a finding id with a colon and a slash through one path segment', () => {
    const id = 'dead-letter:some/odd:key';
    expect(parseRoute(href.finding(id))).toEqual({ page: 'finding', id });
  });

  it('says not found for an unknown page, a malformed escape or extra segments', () => {
    expect(parseRoute('#/nope').page).toBe('not-found');
    expect(parseRoute('#/findings/%E0%A4%A').page).toBe('not-found');
    expect(parseRoute('#/findings/a/b').page).toBe('not-found');
    expect(parseRoute('#/orders').page).toBe('not-found');
  });

  it('maps detail pages to their nav entry', () => {
    expect(navPageOf(parseRoute('#/bulk/1'))).toBe('actions');
    expect(navPageOf(parseRoute('#/orders/1'))).toBe('findings');
    expect(navPageOf(parseRoute('#/dead-letters/7'))).toBe('dead-letters');
  });
});

describe('href', () => {
  it('leaves empty filters out of the URL', () => {
    expect(href.findings({ kind: '', state: 'open', q: '' })).toBe('#/findings?state=open');
    expect(href.deadLetters()).toBe('#/dead-letters');
  });
});
