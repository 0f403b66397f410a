import { type ComponentChildren, Fragment } from 'preact';
import { Time } from '../../components/Time.tsx';
import { toEvidenceFacts } from '../../lib/evidence-facts.ts';
import { toPrettyJson } from '../../lib/format.ts';

interface Props {
  evidence: unknown;
  /** The finding's own facts (state, times), as `dt`/`dd` pairs in the same list, so the columns line up. */
  children?: ComponentChildren;
}

/** The evidence as facts, with the ids that have pages linked; the raw JSON behind a toggle, for the exact values. */
export function EvidenceFacts({ evidence, children }: Props) {
  return (
    <>
      <dl class="facts" data-testid="evidence-facts">
        {children}
        {toEvidenceFacts(evidence).map((fact) => (
          <Fragment key={fact.name}>
            <dt>{fact.label}</dt>
            <dd data-fact={fact.name}>
              {fact.values.map((value, i) => (
                <span key={i} class="fact-value">
                  {value.isTime ? (
                    <Time iso={value.text} />
                  ) : value.href ? (
                    <a class="mono" href={value.href}>
                      {value.text}
                    </a>
                  ) : (
                    value.text
                  )}
                </span>
              ))}
            </dd>
          </Fragment>
        ))}
      </dl>
      <details class="raw-evidence">
        <summary data-testid="evidence-raw-toggle">Raw evidence (JSON)</summary>
        <pre class="json" data-testid="finding-evidence">
          {toPrettyJson(evidence)}
        </pre>
      </details>
    </>
  );
}
