import type { AuditEntry } from '../api/types.ts';
import { href } from '../routing/routes.ts';
import { Time } from './Time.tsx';

interface Props {
  entries: AuditEntry[];
  testId: string;
  /** On an action's own page the action column would repeat itself. */
  showAction?: boolean;
}

export function AuditTable({ entries, testId, showAction = true }: Props) {
  return (
    <div class="table-wrap">
      <table data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">At</th>
            <th scope="col">Event</th>
            {showAction && <th scope="col">Action</th>}
            {showAction && <th scope="col">Target</th>}
            <th scope="col">Actor</th>
            <th scope="col">Outcome</th>
            <th scope="col">Reason</th>
            <th scope="col">Detail</th>
            <th scope="col">Idempotency key</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id} data-testid="audit-row">
              <td>
                <Time iso={entry.at} />
              </td>
              <td>{entry.event}</td>
              {showAction && (
                <td>{entry.actionId ? <a href={href.action(entry.actionId)}>{entry.action}</a> : 'user change'}</td>
              )}
              {showAction && <td class="mono">{entry.target}</td>}
              <td>
                {entry.actor} ({entry.role})
              </td>
              <td>{toOutcomeText(entry)}</td>
              <td class="wrap">{entry.reason ?? '—'}</td>
              <td class="wrap">{entry.detail ?? '—'}</td>
              <td class="mono small">{entry.idempotencyKey ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A user change says what happened to the user's role; an action's row, how it ended. */
function toOutcomeText(entry: AuditEntry): string {
  switch (entry.event) {
    case 'user-created':
      return `created as ${entry.newRole}`;
    case 'user-promoted':
    case 'user-demoted':
      return `${entry.oldRole} → ${entry.newRole}`;
    case 'user-password-changed':
      return `new password (${entry.newRole})`;
    case 'user-signed-in':
      return entry.oldRole && entry.oldRole !== entry.newRole
        ? `signed in: ${entry.oldRole} → ${entry.newRole}`
        : `signed in as ${entry.newRole}`;
    case 'user-deleted':
      return `deleted (was ${entry.oldRole})`;
    default:
      return entry.outcome;
  }
}
