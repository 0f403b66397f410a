import { href } from '../routing/routes.ts';
import type { ActionResult } from './ConfirmActionDialog.tsx';

/** What came of an action request: its status and detail, or the server's refusal (with the blocking action). */
export function ActionResultNote({ result }: { result: ActionResult }) {
  if (result.kind === 'refused') {
    return (
      <div class="banner error" role="alert" data-testid="action-result" data-status={String(result.status)}>
        <p>{result.error}</p>
        {result.action && (
          <p>
            See <a href={href.action(result.action.id)}>action {result.action.action}</a> ({result.action.status}, by{' '}
            {result.action.actor}).
          </p>
        )}
      </div>
    );
  }
  const { action } = result;
  const isGood = action.status === 'done' || action.status === 'superseded';
  return (
    <div
      class={`banner ${isGood ? 'ok' : 'warn'}`}
      role="status"
      data-testid="action-result"
      data-status={action.status}
    >
      <p>
        {action.action}: <strong>{action.status}</strong>
        {result.isReplay ? ' (the same request had already run; this is its outcome)' : ''}
      </p>
      {action.detail && <p>{action.detail}</p>}
      <p>
        <a href={href.action(action.id)}>Action and its audit trail</a>
      </p>
    </div>
  );
}
