import { useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../api/client.ts';
import { api } from '../api/endpoints.ts';
import type { Action, ActionName, ActionRefusal } from '../api/types.ts';
import { newIdempotencyKey } from '../lib/idempotency-key.ts';
import { Dialog } from './Dialog.tsx';
import { ErrorText } from './ErrorText.tsx';

export type ActionResult =
  | { kind: 'done'; action: Action; isReplay: boolean }
  /** `action`: the action that blocks this one (409), or the first use of a reused key (422). */
  | { kind: 'refused'; status: number; error: string; requested: ActionName; action?: Action };

interface Props {
  findingId: string;
  action: ActionName;
  /** The effect in the operator's words, from the server's `actionDetails`. */
  description: string;
  /** The settled action this runs again on purpose: the server runs it even though that one just failed. */
  retryOf?: string;
  /** What the operator should know before pressing (a poison letter's redrive): shown above the reason, as an alert. */
  warning?: string;
  onResult(result: ActionResult): void;
  onClose(): void;
}

/**
 * "Do this?" plus a required reason. The Idempotency-Key is made when the dialog opens, so a double click, or a
 * retry after a timeout or a 5xx (the dialog stays open for those), replays the same request instead of acting twice.
 */
export function ConfirmActionDialog({ findingId, action, description, retryOf, warning, onResult, onClose }: Props) {
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [reason, setReason] = useState('');
  const [isSending, setIsSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const hasReason = reason.trim().length > 0;

  async function submit(event: Event) {
    event.preventDefault();
    if (!hasReason || isSending) return;
    setIsSending(true);
    setError(null);
    try {
      const body = { action, reason: reason.trim(), ...(retryOf ? { retryOf } : {}) };
      const done = await api.findings.act(findingId, body, idempotencyKey);
      onResult({ kind: 'done', ...done });
    } catch (err) {
      setIsSending(false);
      if (err instanceof ApiError && isFinalRefusal(err.status)) {
        // The action route refuses with an ActionRefusal: a 409 or 422 may name the action in the way.
        const refusal = err.body as ActionRefusal | null;
        onResult({
          kind: 'refused',
          status: err.status,
          error: err.message,
          requested: action,
          action: refusal?.action,
        });
        return;
      }
      // Unreachable, rate-limited or a server fault: the request may or may not have run. Stay open; a retry
      // sends the same key, and the server answers with the first outcome if there was one.
      setError(`${errorMessage(err)} — you can submit again safely (same request).`);
    }
  }

  return (
    <Dialog testId="confirm-dialog" title={`Confirm: ${retryOf ? 'retry ' : ''}${action}`} onClose={onClose}>
      <form onSubmit={submit}>
        <p data-testid="confirm-text" class="confirm-text">
          {description}?
        </p>
        {warning && (
          <p class="banner warn" role="alert" data-testid="confirm-warning">
            {warning}
          </p>
        )}
        <label for="confirm-reason">Reason (required, kept in the audit log)</label>
        <textarea
          id="confirm-reason"
          data-testid="confirm-reason"
          data-autofocus
          rows={3}
          maxLength={1000}
          required
          value={reason}
          onInput={(e) => setReason(e.currentTarget.value)}
        />
        <ErrorText error={error} testId="confirm-error" />
        <div class="buttons">
          <button type="submit" class="primary" data-testid="confirm-submit" disabled={!hasReason || isSending}>
            {isSending ? 'Running…' : `Run ${action}`}
          </button>
          <button type="button" data-testid="confirm-cancel" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** 4xx answers are the server's decision about this request; repeating it would get the same answer. */
const isFinalRefusal = (status: number) => status >= 400 && status < 500 && status !== 408 && status !== 429;
