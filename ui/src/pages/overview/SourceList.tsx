import type { SourceHealth } from '../../api/types.ts';
import { formatAge } from '../../lib/format.ts';
import { lastSuccessAgeSeconds } from '../../lib/staleness.ts';

interface Props {
  sources: SourceHealth[];
  /** The server's clock, for "12 s ago". */
  nowMs: number;
  /** Recon cannot be reached: its last word about a source is not news that the source is up. */
  isUnknown?: boolean;
}

export function SourceList({ sources, nowMs, isUnknown = false }: Props) {
  return (
    <section aria-labelledby="sources-title">
      <h2 id="sources-title">Sources</h2>
      {sources.length === 0 && <p class="muted">No source has reported yet.</p>}
      <ul class="sources">
        {sources.map((source) => {
          const age = lastSuccessAgeSeconds(source, nowMs);
          const state = isUnknown ? 'unknown' : source.up ? 'up' : 'down';
          return (
            <li
              key={source.source}
              class={`source ${state}`}
              data-testid={`source-${source.source}`}
              data-up={isUnknown ? 'unknown' : String(source.up)}
              title={isUnknown ? 'Recon cannot be reached: this is its last word, not the state now' : undefined}
            >
              <span class="source-name">{source.source}</span>
              <span class="source-state">{state}</span>
              <span class="muted" title={source.lastSuccessAt ?? undefined}>
                {age === null ? 'never read' : `last read ${formatAge(age)} ago`}
              </span>
              {source.lastError && !source.up && <span class="source-error">{source.lastError}</span>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
