import { useState } from 'preact/hooks';
import { api } from '../api/endpoints.ts';
import { canAct, useSignedIn } from '../api/session-store.ts';
import type { FindingDetail } from '../api/types.ts';
import { ActionResultNote } from '../components/ActionResultNote.tsx';
import { type ActionResult, ConfirmActionDialog } from '../components/ConfirmActionDialog.tsx';
import { ErrorText } from '../components/ErrorText.tsx';
import { Time } from '../components/Time.tsx';
import { useApi } from '../hooks/use-api.ts';
import { toPrettyJson } from '../lib/format.ts';
import { href } from '../routing/routes.ts';
import { FindingActions } from './findings/FindingActions.tsx';

export function FindingDetailPage({ id }: { id: string }) {
  const session = useSignedIn();
  const { data: finding, error, reload } = useApi((signal) => api.findings.get(id, signal), [id]);
  const [confirming, setConfirming] = useState<ActionDetail | null>(null);
  /** Set when the confirmation reruns a settled action on purpose (the result's Retry button). */
  const [retryOf, setRetryOf] = useState<string | undefined>(undefined);
  const [result, setResult] = useState<ActionResult | null>(null);
  /** Bumped after each action request, so the history below shows it. */
  const [actionsVersion, setActionsVersion] = useState(0);

  if (!finding) {
    return (
      <section>
        <h1>
          Finding <span class="mono">{id}</span>
        </h1>
        {error ? <ErrorText error={error} /> : <p data-testid="loading">Loading…</p>}
      </section>
    );
  }

  const { orderId } = finding.subjects;
  const deadLetterId = finding.kind === 'dead-letter' ? finding.evidence.deadLetterId : undefined;

  return (
    <section data-testid="finding-detail">
      <p>
        <a href={href.findings({ kind: finding.kind })}>← {finding.kind} findings</a>
      </p>
      <h1>
        {finding.title} <span class="mono">{finding.key}</span>
      </h1>
      <p data-testid="finding-explanation">{finding.explanation}</p>
      <ErrorText error={error} />
      <dl class="facts">
        <dt>Kind</dt>
        <dd data-testid="finding-kind">{finding.kind}</dd>
        <dt>State</dt>
        <dd data-testid="finding-state">
          {finding.state}
          {finding.resolvedAt && (
            <>
              {' '}
              at <Time iso={finding.resolvedAt} />
            </>
          )}
        </dd>
        <dt>Verdict</dt>
        <dd data-testid="finding-verdict">{finding.verdict}</dd>
        <dt>Severity</dt>
        <dd>
          <span class={`badge ${finding.severity}`}>{finding.severity}</span>
        </dd>
        <dt>First seen</dt>
        <dd>
          <Time iso={finding.firstSeenAt} />
        </dd>
        <dt>Last seen</dt>
        <dd>
          <Time iso={finding.lastSeenAt} />
        </dd>
        {orderId && (
          <>
            <dt>Order</dt>
            <dd>
              <a class="mono" href={href.order(orderId)} data-testid="finding-order-link">
                {orderId} — timeline
              </a>
            </dd>
          </>
        )}
        {(typeof deadLetterId === 'string' || typeof deadLetterId === 'number') && (
          <>
            <dt>Dead letter</dt>
            <dd>
              <a href={href.deadLetter(String(deadLetterId))}>letter {String(deadLetterId)}: body, headers, x-death</a>
            </dd>
          </>
        )}
      </dl>

      <h2>Actions</h2>
      <ActionButtons
        finding={finding}
        details={finding.actionDetails}
        allowActions={canAct(session)}
        reasonNotAllowed={session.readOnly ? 'Recon is read-only' : `your role is ${session.user.role}`}
        onPick={(picked) => {
          setResult(null);
          setRetryOf(undefined);
          setConfirming(picked);
        }}
      />
      {result && (
        <ActionResultNote
          result={result}
          onRetry={(name, settledId) => {
            const detail = finding.actionDetails.find((d) => d.action === name);
            if (!detail) return;
            setResult(null);
            setRetryOf(settledId);
            setConfirming(detail);
          }}
        />
      )}

      <h2>Evidence</h2>
      <pre class="json" data-testid="finding-evidence">
        {toPrettyJson(finding.evidence)}
      </pre>
      <FindingActions findingId={finding.id} version={actionsVersion} />
      <p>
        <a href={href.actions()}>All actions</a> ·{' '}
        <a href={href.findings({ q: finding.key, state: 'all' })}>Same key</a>
      </p>

      {confirming && (
        <ConfirmActionDialog
          findingId={finding.id}
          action={confirming.action}
          description={confirming.description}
          retryOf={retryOf}
          onClose={() => setConfirming(null)}
          onResult={(outcome) => {
            setConfirming(null);
            setResult(outcome);
            setActionsVersion((n) => n + 1);
            reload();
          }}
        />
      )}
    </section>
  );
}

type ActionDetail = FindingDetail['actionDetails'][number];

interface ButtonsProps {
  finding: FindingDetail;
  /** The server's own words for each action. */
  details: ActionDetail[];
  allowActions: boolean;
  reasonNotAllowed: string;
  onPick(picked: ActionDetail): void;
}

/** Hidden, not just disabled, when the operator cannot act: the server refuses anyway, and says why here. */
function ActionButtons({ finding, details, allowActions, reasonNotAllowed, onPick }: ButtonsProps) {
  if (details.length === 0) return <p class="muted">No action repairs this kind; watch it until it clears.</p>;
  if (!allowActions)
    return (
      <p class="muted" data-testid="actions-unavailable">
        Actions are not available: {reasonNotAllowed}.
      </p>
    );
  if (finding.state !== 'open')
    return (
      <p class="muted" data-testid="actions-unavailable">
        Resolved: nothing to repair.
      </p>
    );
  return (
    <div class="buttons">
      {details.map((detail) => (
        <button
          key={detail.action}
          type="button"
          data-testid={`action-button-${detail.action}`}
          title={detail.description}
          onClick={() => onPick(detail)}
        >
          {detail.action}
        </button>
      ))}
    </div>
  );
}
