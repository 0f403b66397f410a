import type { Action, ActionName } from '../api/types.ts';
import { href } from '../routing/routes.ts';
import type { ActionResult } from './ConfirmActionDialog.tsx';

interface Props {
  result: ActionResult;
  /** Opens the confirmation again for `action`, naming the settled action it retries; absent: no retry button. */
  onRetry?(action: ActionName, retryOf: string): void;
  /** What happens next after a `done` action, in the operator's words (a redrive: Recon watches for it to die again). */
  nextStep?(action: Action): string | null;
}

/** Settled without its effect: the server answers further presses with it (409) unless they name it in retryOf. */
const isRetryable = (action: Action | undefined): action is Action =>
  action !== undefined && ['failed', 'superseded', 'needs-attention'].includes(action.status);

/** What came of an action request: its status and detail, or the server's refusal (with the blocking action). */
export function ActionResultNote({ result, onRetry, nextStep }: Props) {
  const settled = result.kind === 'done' ? result.action : result.status === 409 ? result.action : undefined;
  const retry = onRetry && isRetryable(settled) && (
    <p>
      <button
        type="button"
        data-testid="action-retry"
        onClick={() => onRetry(result.kind === 'done' ? settled.action : result.requested, settled.id)}
      >
        Retry {result.kind === 'done' ? settled.action : result.requested}
      </button>
    </p>
  );
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
        {retry}
      </div>
    );
  }
  const { action } = result;
  const isGood = action.status === 'done' || action.status === 'superseded';
  const next = action.status === 'done' ? nextStep?.(action) : null;
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
      {next && <p data-testid="action-next-step">{next}</p>}
      <p>
        <a href={href.action(action.id)}>Action and its audit trail</a>
      </p>
      {retry}
    </div>
  );
}
