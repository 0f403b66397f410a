import { useEffect } from 'preact/hooks';
import { SessionContext, sessionStore, useSession } from './api/session-store.ts';
import { NavBar } from './components/NavBar.tsx';
import { ActionDetailPage } from './pages/ActionDetailPage.tsx';
import { ActionsPage } from './pages/ActionsPage.tsx';
import { AuditPage } from './pages/AuditPage.tsx';
import { BulkPage } from './pages/BulkPage.tsx';
import { DeadLetterDetailPage } from './pages/DeadLetterDetailPage.tsx';
import { DeadLettersPage } from './pages/DeadLettersPage.tsx';
import { FindingDetailPage } from './pages/FindingDetailPage.tsx';
import { FindingsPage } from './pages/FindingsPage.tsx';
import { OrderTimelinePage } from './pages/OrderTimelinePage.tsx';
import { OverviewPage } from './pages/OverviewPage.tsx';
import { SignInPage } from './pages/SignInPage.tsx';
import { UsersPage } from './pages/UsersPage.tsx';
import { navPageOf, type Route } from './routing/routes.ts';
import { useRoute } from './routing/use-route.ts';

export function App() {
  const session = useSession();
  const route = useRoute();

  useEffect(() => {
    void sessionStore.check();
  }, []);

  if (session.status === 'checking') return <p class="loading">Loading…</p>;
  if (session.status === 'signed-out') return <SignInPage error={session.error} />;
  return (
    <SessionContext.Provider value={session.session}>
      <NavBar current={navPageOf(route)} />
      <main class="page">
        <Page route={route} />
      </main>
    </SessionContext.Provider>
  );
}

function Page({ route }: { route: Route }) {
  // Keyed by id or filters: another finding, or another filter, starts from a clean state (first page, nothing
  // selected, no dialog open).
  switch (route.page) {
    case 'overview':
      return <OverviewPage />;
    case 'findings':
      return <FindingsPage key={`${route.kind}|${route.state}|${route.q}`} filters={route} />;
    case 'finding':
      return <FindingDetailPage key={route.id} id={route.id} />;
    case 'order':
      return <OrderTimelinePage key={route.orderId} orderId={route.orderId} />;
    case 'dead-letters':
      return <DeadLettersPage key={`${route.reason}|${route.q}`} filters={route} />;
    case 'dead-letter':
      return <DeadLetterDetailPage key={route.id} id={route.id} />;
    case 'actions':
      return <ActionsPage key={route.status} status={route.status} />;
    case 'action':
      return <ActionDetailPage key={route.id} id={route.id} />;
    case 'bulk':
      return <BulkPage key={route.id} id={route.id} />;
    case 'audit':
      return <AuditPage />;
    case 'users':
      return <UsersPage />;
    case 'not-found':
      return (
        <section>
          <h1>Not found</h1>
          <p>
            There is no page <code>{route.path}</code>. <a href="#/overview">Go to the overview</a>.
          </p>
        </section>
      );
  }
}
