import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api/endpoints.ts';
import { canAct, useSignedIn } from '../api/session-store.ts';
import type { FindingDetail } from '../api/types.ts';
import { ActionResultNote } from '../components/ActionResultNote.tsx';
import { type ActionResult, ConfirmActionDialog } from '../components/ConfirmActionDialog.tsx';
import { ErrorText } from '../components/ErrorText.tsx';
import { Time } from '../components/Time.tsx';
import { useApi } from '../hooks/use-api.ts';
import { href } from '../routing/routes.ts';
import { EvidenceFacts } from './findings/EvidenceFacts.tsx';
import { FindingActions } from './findings/FindingActions.tsx';
import { FindingAdvice } from './findings/FindingAdvice.tsx';
import { FindingOutcome, StalePressNote } from './findings/FindingOutcome.tsx';
import { OrderRecord } from './findings/OrderRecord.tsx';
import { RepairChoices } from './findings/RepairChoices.tsx';

/** The page follows a repair to its end: the server resolves a finding a cycle or two after its action. */
const POLL_MS = 3_000;

export function FindingDetailPage({ id }: { id: string }) {
  const session = useSignedIn();
  const { data: finding, error, reload } = useApi((signal) => api.findings.get(id, signal), [id]);
  const [confirming, setConfirming] = useState<ActionDetail | null>(null);
  /** Set when the confirmation reruns a settled action on purpose (the result's Retry button). */
  const [retryOf, setRetryOf] = useState<string | undefined>(undefined);
  const [result, setResult] = useState<ActionResult | null>(null);
  /** Bumped after each action request, so the history below shows it. */
  const [actionsVersion, setActionsVersion] = useState(0);

  // Polled while the page is open and visible: a hidden tab asks nothing, and catches up when shown again.
  useEffect(() => {
    const poll = () => {
      if (!document.hidden) reload();
    };
    const timer = setInterval(poll, POLL_MS);
    document.addEventListener('visibilitychange', poll);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', poll);
    };
  }, [reload]);

  // The history table follows the newest action's status and the finding's state as they change (it loads by
  // itself the first time).
  const progress = finding && `${finding.latestAction?.id}:${finding.latestAction?.status}:${finding.state}`;
  const seenProgress = useRef(progress);
  useEffect(() => {
    if (seenProgress.current && seenProgress.current !== progress) setActionsVersion((n) => n + 1);
    seenProgress.current = progress;
  }, [progress]);

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
  /** The evidence's own orderId row links to the timeline already. */
  const hasOrderFact = typeof (finding.evidence as Record<string, unknown>).orderId === 'string';
  // A press refused because the page was out of date (resolved, or repaired by another action) is not an error.
  const isStalePress =
    result?.kind === 'refused' && result.status === 409 && (!result.action || result.action.status === 'done');

  return (
    <section data-testid="finding-detail" data-state={finding.state}>
      <p>
        <a href={href.findings({ kind: finding.kind })}>← {finding.kind} findings</a>
      </p>
      <h1>
        {finding.title} <span class="mono">{finding.key}</span>{' '}
        <span class={`badge ${finding.severity}`}>{finding.severity}</span>
      </h1>
      <FindingAdvice finding={finding} />
      <ErrorText error={error} />

      <h2>Actions</h2>
      <FindingOutcome finding={finding} shownActionId={result?.kind === 'done' ? result.action.id : undefined} />
      <RepairChoices
        finding={finding}
        allowActions={canAct(session)}
        reasonNotAllowed={session.readOnly ? 'Recon is read-only' : `your role is ${session.user.role}`}
        onPick={(picked) => {
          setResult(null);
          setRetryOf(undefined);
          setConfirming(picked);
        }}
      />
      {result && isStalePress && <StalePressNote finding={finding} blocking={result.action} />}
      {result && !isStalePress && (
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
      <EvidenceFacts evidence={finding.evidence}>
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
        <dt>Kind</dt>
        <dd data-testid="finding-kind">{finding.kind}</dd>
        <dt>Verdict</dt>
        <dd data-testid="finding-verdict">{finding.verdict}</dd>
        <dt>First seen</dt>
        <dd>
          <Time iso={finding.firstSeenAt} />
        </dd>
        <dt>Last seen</dt>
        <dd>
          <Time iso={finding.lastSeenAt} />
        </dd>
        {orderId && !hasOrderFact && (
          <>
            <dt>Order</dt>
            <dd>
              <a class="mono" href={href.order(orderId)} data-testid="finding-order-link">
                {orderId} — timeline
              </a>
            </dd>
          </>
        )}
      </EvidenceFacts>

      {orderId && <OrderRecord orderId={orderId} version={progress ?? ''} />}

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
            reload();
          }}
        />
      )}
    </section>
  );
}

type ActionDetail = FindingDetail['actionDetails'][number];
