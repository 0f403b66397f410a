import type { ComponentChildren } from 'preact';
import type { QueueDepth, QueueNow } from '../api/types.ts';
import { formatCount, formatRate } from '../lib/format.ts';
import { Ago } from './Time.tsx';

interface Props {
  /** The overview's queues (rates, staleness, read time) or an order timeline's (depth only). */
  queues: readonly (QueueDepth & Partial<QueueNow>)[];
  caption?: ComponentChildren;
  /** The overview's live table: rate and read-time columns, and its stable test ids. */
  isLive?: boolean;
}

const NUMBER_COLUMNS = ['Ready', 'Unacked', 'Consumers'];
const RATE_COLUMNS = ['Publish', 'Deliver', 'Ack'];

function NumberHeader({ name }: { name: string }) {
  return (
    <th scope="col" class="num">
      {name}
    </th>
  );
}

/** Messages wait with nobody to take them, or pile up faster than they are taken. */
const needsAttention = (q: Partial<QueueNow>) => !!(q.hasReadyWithoutConsumers || q.isBacklogGrowing);

/** The watched queues: how deep each is, and whether the broker has it at all. */
export function QueueTable({ queues, caption, isLive = false }: Props) {
  return (
    <div class="table-wrap">
      <table data-testid={isLive ? 'queues-table' : undefined}>
        {caption && <caption>{caption}</caption>}
        <thead>
          <tr>
            <th scope="col">Queue</th>
            {NUMBER_COLUMNS.map((name) => (
              <NumberHeader key={name} name={name} />
            ))}
            {isLive && (
              <>
                {RATE_COLUMNS.map((name) => (
                  <NumberHeader key={name} name={name} />
                ))}
                <th scope="col">Read at</th>
              </>
            )}
          </tr>
        </thead>
        <tbody>
          {queues.map((q) => (
            <tr
              key={q.name}
              data-testid={isLive ? 'queue-row' : undefined}
              data-queue={isLive ? q.name : undefined}
              class={q.isStale ? 'stale' : needsAttention(q) ? 'attention' : undefined}
              data-attention={isLive ? String(needsAttention(q)) : undefined}
            >
              <td>
                {q.name}
                {q.exists === false && <span class="badge warn">not on the broker</span>}
                {q.isStale && <span class="badge warn">stale</span>}
                {q.hasReadyWithoutConsumers && <span class="badge critical">no consumers</span>}
                {q.isBacklogGrowing && <span class="badge warn">backlog growing</span>}
              </td>
              <td class="num">{formatCount(q.ready)}</td>
              <td class="num">{formatCount(q.unacked)}</td>
              <td class="num">{formatCount(q.consumers)}</td>
              {isLive && (
                <>
                  <td class="num">{formatRate(q.rates?.publish)}</td>
                  <td class="num">{formatRate(q.rates?.deliver)}</td>
                  <td class="num">{formatRate(q.rates?.ack)}</td>
                  <td>
                    <Ago iso={q.at} />
                  </td>
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
