import { useState } from 'preact/hooks';
import { errorMessage } from '../../api/client.ts';
import { api } from '../../api/endpoints.ts';
import type { Role } from '../../api/types.ts';
import { ErrorText } from '../../components/ErrorText.tsx';

const ROLES: Role[] = ['viewer', 'operator', 'admin'];

export function AddUserForm({ onAdded }: { onAdded(): void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [password, setPassword] = useState('');
  const [isSending, setIsSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);

  async function submit(event: Event) {
    event.preventDefault();
    setIsSending(true);
    setError(null);
    setAdded(null);
    try {
      await api.users.add({ name: name.trim(), role, password });
      setAdded(`${name.trim()} added as ${role}.`);
      setName('');
      setPassword('');
      onAdded();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setIsSending(false);
    }
  }

  return (
    <form class="stacked" onSubmit={submit} aria-labelledby="add-user-title">
      <h2 id="add-user-title">Add a user</h2>
      <label for="add-user-name">Name</label>
      <input
        id="add-user-name"
        data-testid="add-user-name"
        required
        autocomplete="off"
        value={name}
        onInput={(e) => setName(e.currentTarget.value)}
      />
      <label for="add-user-role">Role</label>
      <select
        id="add-user-role"
        data-testid="add-user-role"
        value={role}
        onChange={(e) => setRole(e.currentTarget.value as Role)}
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <label for="add-user-password">Password</label>
      <input
        id="add-user-password"
        data-testid="add-user-password"
        type="password"
        autocomplete="new-password"
        required
        value={password}
        onInput={(e) => setPassword(e.currentTarget.value)}
      />
      <ErrorText error={error} testId="add-user-error" />
      {added && (
        <p role="status" data-testid="add-user-result">
          {added}
        </p>
      )}
      <button type="submit" class="primary" data-testid="add-user-submit" disabled={isSending}>
        Add user
      </button>
    </form>
  );
}
