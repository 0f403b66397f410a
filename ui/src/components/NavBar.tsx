import { useEffect, useState } from 'preact/hooks';
import { sessionStore, useSignedIn } from '../api/session-store.ts';
import { toggleTheme, useTheme } from '../lib/theme.ts';
import { zoneLabel } from '../lib/time.ts';
import { timeOptionsOf, toggleTimeZone, useZoneChoice } from '../lib/time-zone.ts';
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
  const zoneChoice = useZoneChoice();
  const localZone = zoneLabel(new Date(), timeOptionsOf('local'));
  // On a narrow screen the links and the session controls fold behind a Menu button (shell.css); wider, the button
  // is hidden and the menu always shown.
  const [isMenuOpen, setIsMenuOpen] = useState(false);
  const closeMenu = () => setIsMenuOpen(false);
  // Any navigation closes it, a link in it or not: the tap asked for a page, and the menu would cover it. So does
  // Escape, for a keyboard.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && closeMenu();
    addEventListener('hashchange', closeMenu);
    addEventListener('keydown', onKey);
    return () => {
      removeEventListener('hashchange', closeMenu);
      removeEventListener('keydown', onKey);
    };
  }, []);
  // Users is an admin page; the server checks the role too.
  const pages = NAV_PAGES.filter((page) => page !== 'users' || session.user.role === 'admin');
  return (
    <header class={`topbar${isMenuOpen ? ' is-open' : ''}`}>
      <a class="brand" href={href.overview()}>
        Recon
      </a>
      <button
        type="button"
        class="menu-toggle"
        data-testid="nav-menu"
        aria-expanded={isMenuOpen}
        aria-controls="topbar-menu"
        onClick={() => setIsMenuOpen(!isMenuOpen)}
      >
        {isMenuOpen ? 'Close menu' : 'Menu'}
      </button>
      <div class="topbar-menu" id="topbar-menu">
        <nav aria-label="Main">
          <ul>
            {pages.map((page) => (
              <li key={page}>
                <a
                  href={HREFS[page]}
                  data-testid={`nav-${page}`}
                  aria-current={page === current ? 'page' : undefined}
                  onClick={closeMenu}
                >
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
            data-testid="time-zone-toggle"
            aria-pressed={zoneChoice === 'utc'}
            title={zoneChoice === 'utc' ? `Show times in this browser's zone (${localZone})` : 'Show times in UTC'}
            onClick={toggleTimeZone}
          >
            {zoneChoice === 'utc' ? 'Times: UTC' : `Times: ${localZone}`}
          </button>
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
      </div>
    </header>
  );
}
