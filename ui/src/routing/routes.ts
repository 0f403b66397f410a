// Hash routes: the server serves one index.html, and a hash never reaches it (no server routing to keep in step).
// Ids go in one path segment, URI-encoded: a finding id holds ':' and a dead letter's key may hold anything.

export type Route =
  | { page: 'overview' }
  | { page: 'findings'; kind: string; state: string; q: string }
  | { page: 'finding'; id: string }
  | { page: 'order'; orderId: string }
  | { page: 'dead-letters'; reason: string; q: string }
  | { page: 'dead-letter'; id: string }
  | { page: 'actions'; status: string }
  | { page: 'action'; id: string }
  | { page: 'bulk'; id: string }
  | { page: 'audit' }
  | { page: 'users' }
  | { page: 'not-found'; path: string };

/** The pages in the nav bar, in order; `nav-<page>` is each link's test id. */
export const NAV_PAGES = ['overview', 'findings', 'dead-letters', 'actions', 'audit', 'users'] as const;
export type NavPage = (typeof NAV_PAGES)[number];

export function parseRoute(hash: string): Route {
  const whole = hash.replace(/^#/, '');
  const mark = whole.indexOf('?');
  const path = mark === -1 ? whole : whole.slice(0, mark);
  const queryText = mark === -1 ? '' : whole.slice(mark + 1);
  const query = new URLSearchParams(queryText);
  const text = (name: string) => query.get(name) ?? '';
  const [first = '', second, ...rest] = path.replace(/^\/+/, '').split('/');
  // A second segment with more after it is not a route of ours (an id is always one encoded segment).
  if (rest.length > 0) return { page: 'not-found', path };
  const id = second === undefined ? undefined : safeDecode(second);
  if (second !== undefined && (id === undefined || id === '')) return { page: 'not-found', path };

  switch (first) {
    case '':
    case 'overview':
      return id === undefined ? { page: 'overview' } : { page: 'not-found', path };
    case 'findings':
      return id === undefined
        ? { page: 'findings', kind: text('kind'), state: text('state') || 'open', q: text('q') }
        : { page: 'finding', id };
    case 'orders':
      return id === undefined ? { page: 'not-found', path } : { page: 'order', orderId: id };
    case 'dead-letters':
      return id === undefined
        ? { page: 'dead-letters', reason: text('reason'), q: text('q') }
        : { page: 'dead-letter', id };
    case 'actions':
      return id === undefined ? { page: 'actions', status: text('status') } : { page: 'action', id };
    case 'bulk':
      return id === undefined ? { page: 'not-found', path } : { page: 'bulk', id };
    case 'audit':
    case 'users':
      return id === undefined ? { page: first } : { page: 'not-found', path };
    default:
      return { page: 'not-found', path };
  }
}

/** Which nav entry a route belongs to, for `aria-current`. */
export function navPageOf(route: Route): NavPage | null {
  switch (route.page) {
    case 'overview':
    case 'findings':
    case 'dead-letters':
    case 'actions':
    case 'audit':
    case 'users':
      return route.page;
    case 'finding':
    case 'order':
      return 'findings';
    case 'dead-letter':
      return 'dead-letters';
    case 'action':
    case 'bulk':
      return 'actions';
    default:
      return null;
  }
}

const segment = encodeURIComponent;

function withQuery(path: string, query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export const href = {
  overview: () => '#/overview',
  findings: (filters: { kind?: string; state?: string; q?: string } = {}) => withQuery('#/findings', filters),
  finding: (id: string) => `#/findings/${segment(id)}`,
  order: (orderId: string) => `#/orders/${segment(orderId)}`,
  deadLetters: (filters: { reason?: string; q?: string } = {}) => withQuery('#/dead-letters', filters),
  deadLetter: (id: string) => `#/dead-letters/${segment(id)}`,
  actions: (filters: { status?: string } = {}) => withQuery('#/actions', filters),
  action: (id: string) => `#/actions/${segment(id)}`,
  bulk: (id: string) => `#/bulk/${segment(id)}`,
  audit: () => '#/audit',
  users: () => '#/users',
};

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
