import type { Action, FindingDetail } from '../../api/types.ts';
import { Time } from '../../components/Time.tsx';
import { href } from '../../routing/routes.ts';

interface Props {
  finding: FindingDetail;
  /** The action this page just requested, whose note already shows its outcome. */
  shownActionId: string | undefined;
}

/**
 * Where a repair stands, as the page polls it: the newest action's outcome while it settles, then what resolved
 * the finding. An operator watches the repair end here, without reloading.
 */
export function FindingOutcome({ finding, shownActionId }: Props) {
  const latest = finding.latestAction;
  return (
    <>
      {finding.state === 'resolved' && <ResolvedNote finding={finding} />}
      {latest && latest.id !== shownActionId && finding.state === 'open' && (
        <p class="banner warn" role="status" data-testid="latest-action" data-status={latest.status}>
          Latest action: <ActionLink action={latest} />, <strong>{latest.status}</strong>
          {latest.detail ? ` — ${latest.detail}` : ''}. This page updates as it settles and the next cycles check it.
        </p>
      )}
    </>
  );
}

export function ResolvedNote({ finding }: { finding: FindingDetail }) {
  const by = finding.resolvedBy;
  return (
    <p class="banner ok" role="status" data-testid="finding-resolution" data-resolved-by={by?.id ?? ''}>
      Resolved at <Time iso={finding.resolvedAt} />
      {by ? (
        <>
          {' '}
          by action <ActionLink action={by} /> ({by.actor}).
        </>
      ) : (
        ': the next cycles found it consistent, with no action of Recon’s.'
      )}
    </p>
  );
}

/**
 * A press from a page that was out of date: the finding resolved, or another action already repaired it. Said as
 * the state it found, not as an error: nothing went wrong, and there is nothing left to do.
 */
export function StalePressNote({ finding, blocking }: { finding: FindingDetail; blocking: Action | undefined }) {
  if (blocking?.status === 'done')
    return (
      <p class="banner ok" role="status" data-testid="action-result" data-status="already-repaired">
        Already repaired by action <ActionLink action={blocking} /> ({blocking.actor}), done at{' '}
        <Time iso={blocking.settledAt} />; the next cycles confirm it, and this page shows when they do.
      </p>
    );
  return (
    <p class="banner ok" role="status" data-testid="action-result" data-status="already-resolved">
      Already resolved{finding.resolvedAt ? ' at ' : ''}
      {finding.resolvedAt && <Time iso={finding.resolvedAt} />}
      {finding.resolvedBy && (
        <>
          {' '}
          by action <ActionLink action={finding.resolvedBy} /> ({finding.resolvedBy.actor})
        </>
      )}
      : nothing to repair.
    </p>
  );
}

const ActionLink = ({ action }: { action: Action }) => <a href={href.action(action.id)}>{action.action}</a>;
