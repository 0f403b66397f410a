import type { Action } from '../api/types.ts';
import { href } from '../routing/routes.ts';
import { Ago } from './Time.tsx';

interface Props {
  actions: Action[];
  testId: string;
}

export function ActionsTable({ actions, testId }: Props) {
  return (
    <div class="table-wrap">
      <table data-testid={testId}>
        <thead>
          <tr>
            <th scope="col">Requested</th>
            <th scope="col">Action</th>
            <th scope="col">Finding</th>
            <th scope="col">Status</th>
            <th scope="col">By</th>
            <th scope="col">Reason</th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {actions.map((action) => (
            <tr key={action.id} data-testid="action-row" data-action-id={action.id}>
              <td>
                <a href={href.action(action.id)}>
                  <Ago iso={action.createdAt} />
                </a>
              </td>
              <td>{action.action}</td>
              <td class="mono">
                <a href={href.finding(action.findingId)}>{action.findingId}</a>
              </td>
              <td>
                <span class={`badge status-${action.status}`}>{action.status}</span>
              </td>
              <td>
                {action.actor} ({action.role})
              </td>
              <td class="wrap">{action.reason}</td>
              <td class="wrap">{action.detail ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
