import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { createStore, useStore } from '../lib/store.ts';
import { ApiError, bindSession, errorMessage } from './client.ts';
import { api } from './endpoints.ts';
import type { Session } from './types.ts';

export type SessionState =
  | { status: 'checking' }
  | { status: 'signed-out'; error: string | null }
  | { status: 'signed-in'; session: Session };

/** Who is signed in, the CSRF token their writes carry, and the moves between signed in and out. */
export function createSessionStore() {
  const store = createStore<SessionState>({ status: 'checking' });
  const current = () => {
    const state = store.get();
    return state.status === 'signed-in' ? state.session : null;
  };

  bindSession({
    csrfToken: () => current()?.csrfToken ?? null,
    // Only a session that was there can "end"; a first visit without one just shows the sign-in form.
    onUnauthorized: () =>
      store.set({
        status: 'signed-out',
        error: store.get().status === 'signed-in' ? 'Your session ended: sign in again.' : null,
      }),
  });

  /** Asks the server whether the cookie still holds a session; a 401 (handled by the client) signs out. */
  async function check(): Promise<void> {
    try {
      const session = await api.session.get();
      // The same session again keeps its object, so the pages below do not all re-render for nothing.
      const before = current();
      if (!before || JSON.stringify(before) !== JSON.stringify(session)) store.set({ status: 'signed-in', session });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return;
      // Signed in and Recon unreachable for a moment: stay signed in; the pages say what failed. Only the first
      // check, with nothing on screen yet, has to show it here.
      if (store.get().status === 'checking')
        store.set({ status: 'signed-out', error: `Cannot check the session: ${errorMessage(err)}` });
    }
  }

  async function signIn(name: string, password: string): Promise<void> {
    try {
      store.set({ status: 'signed-in', session: await api.session.signIn({ name, password }) });
    } catch (err) {
      // Signed in meanwhile in another tab: the cookie is valid, and this tab had no CSRF token to send with it.
      if (err instanceof ApiError && err.status === 403) {
        await check();
        if (current()) return;
      }
      store.set({ status: 'signed-out', error: errorMessage(err) });
    }
  }

  async function signOut(): Promise<void> {
    try {
      await api.session.signOut();
    } finally {
      // Signed out locally either way: a failed DELETE must not leave the operator looking at a live console.
      store.set({ status: 'signed-out', error: null });
    }
  }

  return { store, current, check, signIn, signOut };
}

export const sessionStore = createSessionStore();

export const useSession = (): SessionState => useStore(sessionStore.store);

/** Provided by the signed-in shell, so a page never renders for a session that just ended. */
export const SessionContext = createContext<Session | null>(null);

export function useSignedIn(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSignedIn outside the signed-in shell');
  return session;
}

/** Whether the UI offers repair actions: the server refuses them anyway for viewers and in read-only mode. */
export const canAct = (session: Session): boolean => session.user.role !== 'viewer' && !session.readOnly;
