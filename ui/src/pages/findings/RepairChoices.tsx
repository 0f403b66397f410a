import type { FindingDetail } from '../../api/types.ts';
import { Words } from '../../components/Words.tsx';

type ActionDetail = FindingDetail['actionDetails'][number];

interface Props {
  finding: FindingDetail;
  allowActions: boolean;
  reasonNotAllowed: string;
  onPick(picked: ActionDetail): void;
}

/**
 * Each repair with what it does, what the customer gets and when to choose it; the recommended one first and
 * marked. Hidden, not just disabled, when the operator cannot act or the finding is resolved: the server refuses
 * anyway, and this says why.
 */
export function RepairChoices({ finding, allowActions, reasonNotAllowed, onPick }: Props) {
  const details = finding.actionDetails;
  if (details.length === 0) return <p class="muted">No action of Recon's repairs this kind; see the recommendation.</p>;
  // Resolved: the resolution note above says by what; there is nothing left to press.
  if (finding.state !== 'open') return null;
  if (!allowActions)
    return (
      <p class="muted" data-testid="actions-unavailable">
        Actions are not available: {reasonNotAllowed}.
      </p>
    );
  const recommended = finding.recommendation?.action ?? null;
  const ordered = [...details].sort((a, b) => Number(b.action === recommended) - Number(a.action === recommended));
  return (
    <div class="repair-choices">
      {ordered.map((detail) => {
        const isRecommended = detail.action === recommended;
        return (
          <div
            key={detail.action}
            class={`repair-choice${isRecommended ? ' recommended' : ''}`}
            data-testid={`repair-choice-${detail.action}`}
            data-recommended={String(isRecommended)}
          >
            <p>
              <button
                type="button"
                class={isRecommended ? 'primary' : undefined}
                data-testid={`action-button-${detail.action}`}
                title={detail.description}
                onClick={() => onPick(detail)}
              >
                {detail.action}
              </button>
              {isRecommended && <span class="badge recommended-badge">recommended</span>}
            </p>
            <p>
              <Words text={detail.description} />.
            </p>
            {detail.customerEffect && (
              <p>
                <strong>For the customer: </strong>
                <Words text={detail.customerEffect} />
              </p>
            )}
            <p class="muted">
              <strong>When: </strong>
              {detail.whenToChoose}
            </p>
          </div>
        );
      })}
    </div>
  );
}
