import { api } from '../api/endpoints.ts';
import { AuditTable } from '../components/AuditTable.tsx';
import { ErrorText } from '../components/ErrorText.tsx';
import { Time } from '../components/Time.tsx';
import { useApi } from '../hooks/use-api.ts';
import { href } from '../routing/routes.ts';

export function ActionDetailPage({ id }: { id: string }) {
  const { data: action, error } = useApi((signal) => api.actions.get(id, signal), [id]);
  if (!action) {
    return (
      <section>
        <h1>Action</h1>
        {error ? <ErrorText error={error} /> : <p data-testid="loading">Loading…</p>}
      </section>
    );
  }
  return (
    <section data-testid="action-detail">
      <p>
        <a href={href.actions()}>← Actions</a>
      </p>
      <h1>
        {action.action} <span class={`badge status-${action.status}`}>{action.status}</span>
      </h1>
      <dl class="facts">
        <dt>Finding</dt>
        <dd class="mono">
          <a href={href.finding(action.findingId)}>{action.findingId}</a>
        </dd>
        <dt>Target</dt>
        <dd class="mono">{action.target}</dd>
        <dt>Detail</dt>
        <dd data-testid="action-detail-text">{action.detail ?? '—'}</dd>
        <dt>Requested by</dt>
        <dd>
          {action.actor} ({action.role})
        </dd>
        <dt>Reason</dt>
        <dd>{action.reason}</dd>
        <dt>Requested</dt>
        <dd>
          <Time iso={action.createdAt} />
        </dd>
        <dt>Settled</dt>
        <dd>
          <Time iso={action.settledAt} />
        </dd>
        <dt>Attempts</dt>
        <dd>{action.attempts}</dd>
        <dt>Message id</dt>
        <dd class="mono">{action.messageId ?? '—'}</dd>
        <dt>Idempotency key</dt>
        <dd class="mono">{action.idempotencyKey}</dd>
        {action.bulkId && (
          <>
            <dt>Bulk</dt>
            <dd>
              <a href={href.bulk(action.bulkId)}>part of bulk {action.bulkId}</a>
            </dd>
          </>
        )}
      </dl>
      <h2>Audit trail</h2>
      <AuditTable entries={action.audit} testId="action-audit" showAction={false} />
    </section>
  );
}
