import { useState } from 'preact/hooks';
import { sessionStore } from '../api/session-store.ts';
import { ErrorText } from '../components/ErrorText.tsx';

export function SignInPage({ error }: { error: string | null }) {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [isSending, setIsSending] = useState(false);

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
        <label for="signin-name">Name</label>
        <input
          id="signin-name"
          data-testid="signin-name"
          autocomplete="username"
          required
          autofocus
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
        <ErrorText error={error} testId="signin-error" />
        <button type="submit" class="primary" data-testid="signin-submit" disabled={isSending}>
          {isSending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
