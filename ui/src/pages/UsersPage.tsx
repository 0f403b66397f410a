import { api } from '../api/endpoints.ts';
import { useSignedIn } from '../api/session-store.ts';
import { ErrorText } from '../components/ErrorText.tsx';
import { useApi } from '../hooks/use-api.ts';
import { AddUserForm } from './users/AddUserForm.tsx';

export function UsersPage() {
  const session = useSignedIn();
  const isAdmin = session.user.role === 'admin';
  const { data, error, reload } = useApi(isAdmin ? (signal) => api.users.list(signal) : null, []);

  if (!isAdmin) {
    return (
      <section>
        <h1>Users</h1>
        <p>Only an admin manages users; you are signed in as {session.user.role}.</p>
      </section>
    );
  }
  return (
    <section>
      <h1>Users</h1>
      <ErrorText error={error} />
      {data && (
        <table data-testid="users-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
            </tr>
          </thead>
          <tbody>
            {data.users.map((user) => (
              <tr key={user.name} data-testid="user-row" data-user={user.name}>
                <td>{user.name}</td>
                <td>{user.role}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <AddUserForm onAdded={reload} />
    </section>
  );
}
