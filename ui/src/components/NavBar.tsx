import { sessionStore, useSignedIn } from '../api/session-store.ts';
import { toggleTheme, useTheme } from '../lib/theme.ts';
import { href, NAV_PAGES, type NavPage } from '../routing/routes.ts';

const LABELS: Record<NavPage, string> = {
  overview: 'Overview',
  findings: 'Findings',
  'dead-letters': 'Dead letters',
  actions: 'Actions',
  audit: 'Audit',
  users: 'Users',
};

const HREFS: Record<NavPage, string> = {
  overview: href.overview(),
  findings: href.findings(),
  'dead-letters': href.deadLetters(),
  actions: href.actions(),
  audit: href.audit(),
  users: href.users(),
};

export function NavBar({ current }: { current: NavPage | null }) {
  const session = useSignedIn();
  const theme = useTheme();
  // Users is an admin page; the server checks the role too.
  const pages = NAV_PAGES.filter((page) => page !== 'users' || session.user.role === 'admin');
  return (
    <header class="topbar">
      <a class="brand" href={href.overview()}>
        Recon
      </a>
      <nav aria-label="Main">
        <ul>
          {pages.map((page) => (
            <li key={page}>
              <a href={HREFS[page]} data-testid={`nav-${page}`} aria-current={page === current ? 'page' : undefined}>
                {LABELS[page]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div class="session">
        {session.readOnly && (
          <span class="badge warn" data-testid="read-only-badge" title="RECON_READ_ONLY: the server refuses actions">
            read-only
          </span>
        )}
        <span class="badge" data-testid="user-badge">
          {session.user.name} ({session.user.role})
        </span>
        <button
          type="button"
          data-testid="theme-toggle"
          aria-pressed={theme === 'dark'}
          title="Switch between the light and the dark theme"
          onClick={toggleTheme}
        >
          {theme === 'dark' ? 'Light theme' : 'Dark theme'}
        </button>
        <button type="button" data-testid="signout" onClick={() => void sessionStore.signOut()}>
          Sign out
        </button>
      </div>
    </header>
  );
}
