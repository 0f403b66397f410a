import type { DeathEntry } from '../../api/types.ts';
import { Time } from '../../components/Time.tsx';
import { formatCount } from '../../lib/format.ts';

/** The broker's death history, most recent first, as the AMQP adapter normalised it. */
export function XDeathTable({ entries }: { entries: DeathEntry[] }) {
  if (entries.length === 0) return <p class="muted">No x-death header: the broker did not record why.</p>;
  return (
    <div class="table-wrap">
      <table data-testid="dead-letter-xdeath">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Queue</th>
            <th scope="col">Reason</th>
            <th scope="col" class="num">
              Count
            </th>
            <th scope="col">Exchange</th>
            <th scope="col">Routing keys</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry, index) => (
            // x-death has no id; its position is its identity (most recent first).
            <tr key={index}>
              <td>
                <Time iso={entry.time} />
              </td>
              <td>{entry.queue ?? '—'}</td>
              <td>{entry.reason ?? '—'}</td>
              <td class="num">{formatCount(entry.count)}</td>
              <td>{entry.exchange === '' ? '(default)' : (entry.exchange ?? '—')}</td>
              <td class="mono">{entry.routingKeys.join(', ') || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
