import { kindNamed } from '../../../../reconcilers/registry.ts';
import type { KindSummary } from '../../api/types.ts';
import { formatAge, formatCount } from '../../lib/format.ts';
import { formatChange } from '../../lib/headline.ts';
import { href } from '../../routing/routes.ts';

interface Props {
  findings: KindSummary[];
  /** Seconds since the overview was produced, so the oldest age keeps counting between updates. */
  elapsedSeconds: number;
}

export function KindCards({ findings, elapsedSeconds }: Props) {
  return (
    <section aria-labelledby="kinds-title">
      <h2 id="kinds-title">Open findings</h2>
      <ul class="cards">
        {findings.map((summary) => {
          // The kind's own severity (reconcilers/kinds/): a critical kind open is a customer without their order.
          const severity = kindNamed(summary.kind)?.severity ?? 'warning';
          const isOpen = summary.open > 0;
          return (
            <li key={summary.kind}>
              <a
                class={`card severity-${severity}${isOpen ? ' has-open' : ''}`}
                href={href.findings({ kind: summary.kind, state: 'open' })}
                data-testid={`kind-card-${summary.kind}`}
                data-open={String(summary.open)}
                data-severity={severity}
              >
                <span class="card-kind">{summary.kind}</span>
                <span class="card-count">
                  {formatCount(summary.open)}
                  {/* In words too: a colour alone says nothing to a colour-blind reader or a screen reader. */}
                  {isOpen && <span class={`badge ${severity}`}>{severity}</span>}
                </span>
                <span class="card-change" data-testid="card-change" data-change={String(summary.changeLast15Min)}>
                  {formatChange(summary.changeLast15Min)} in 15 min
                </span>
                <span class="muted">
                  {summary.oldestAgeSeconds === null
                    ? 'none open'
                    : `oldest ${formatAge(summary.oldestAgeSeconds + elapsedSeconds)}`}
                </span>
              </a>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
