import type { FindingDetail } from '../../api/types.ts';
import { Words } from '../../components/Words.tsx';

interface Props {
  finding: FindingDetail;
}

/** The words first: what is wrong, why it most likely happened, and what the evidence says to do. */
export function FindingAdvice({ finding }: Props) {
  const { recommendation } = finding;
  return (
    <section class="advice" aria-label="What is wrong">
      <p data-testid="finding-explanation">
        {finding.state === 'resolved' && <span class="muted">While it was open: </span>}
        <Words text={finding.explanation} />
      </p>
      {finding.cause && (
        <p data-testid="finding-cause">
          <strong>Likely cause: </strong>
          <Words text={finding.cause} />
        </p>
      )}
      {recommendation && finding.state === 'open' && (
        <p class="recommendation" data-testid="finding-recommendation" data-action={recommendation.action ?? ''}>
          <strong>
            {recommendation.action ? `Recommended: ${recommendation.action}. ` : 'Recommended: act outside Recon. '}
          </strong>
          <Words text={recommendation.why} />
        </p>
      )}
    </section>
  );
}
