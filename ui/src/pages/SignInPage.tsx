import { useState } from 'preact/hooks';
import { api } from '../api/endpoints.ts';
import { sessionStore } from '../api/session-store.ts';
import { ErrorText } from '../components/ErrorText.tsx';
import { useApi } from '../hooks/use-api.ts';

export function SignInPage({ error }: { error: string | null }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [isSending, setIsSending] = useState(false);
  // Until the options arrive (or when they cannot), the password form shows: the server refuses it if it is off.
  const options = useApi((signal) => api.session.options(signal), []).data;
  const oidc = options?.oidc;
  const isPasswordOn = options?.password ?? true;

  async function submit(event: Event) {
    event.preventDefault();
    setIsSending(true);
    await sessionStore.signIn(name, password);
    // On success this page unmounts; on failure the store carries the error shown below.
    setIsSending(false);
    setPassword('');
  }

  return (
    <main class="signin">
      <form onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in to Recon</h1>
        {/* A plain link: the browser itself goes to the provider and comes back with the session cookie. */}
        {oidc && (
          <a class="signin-provider" href={oidc.startUrl} data-testid="signin-oidc">
            Sign in with {oidc.name}
          </a>
        )}
        {oidc && isPasswordOn && <p class="signin-or">or with a local user</p>}
        {isPasswordOn && (
          <>
            <label for="signin-name">Name</label>
            <input
              id="signin-name"
              data-testid="signin-name"
              autocomplete="username"
              required
              autofocus={!oidc}
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
            />
            <label for="signin-password">Password</label>
            <input
              id="signin-password"
              data-testid="signin-password"
              type="password"
              autocomplete="current-password"
              required
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          </>
        )}
        <ErrorText error={error} testId="signin-error" />
        {isPasswordOn && (
          <button type="submit" class="primary" data-testid="signin-submit" disabled={isSending}>
            {isSending ? 'Signing in…' : 'Sign in'}
          </button>
        )}
      </form>
    </main>
  );
}
