import type { SourceHealth } from '../../api/types.ts';
import { formatAge } from '../../lib/format.ts';
import { lastSuccessAgeSeconds } from '../../lib/staleness.ts';

interface Props {
  sources: SourceHealth[];
  /** The server's clock, for "12 s ago". */
  nowMs: number;
}

export function SourceList({ sources, nowMs }: Props) {
  return (
    <section aria-labelledby="sources-title">
      <h2 id="sources-title">Sources</h2>
      {sources.length === 0 && <p class="muted">No source has reported yet.</p>}
      <ul class="sources">
        {sources.map((source) => {
          const age = lastSuccessAgeSeconds(source, nowMs);
          return (
            <li
              key={source.source}
              class={`source ${source.up ? 'up' : 'down'}`}
              data-testid={`source-${source.source}`}
              data-up={String(source.up)}
            >
              <span class="source-name">{source.source}</span>
              <span class="source-state">{source.up ? 'up' : 'down'}</span>
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
