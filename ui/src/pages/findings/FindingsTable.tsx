import { useEffect, useRef, useState } from 'preact/hooks';
import type { Finding } from '../../api/types.ts';
import { SortableHeader } from '../../components/SortableHeader.tsx';
import { Ago } from '../../components/Time.tsx';
import { nextSort, type SortState, sortRows } from '../../lib/sort.ts';
import { href } from '../../routing/routes.ts';

type Column = 'kind' | 'key' | 'severity' | 'verdict' | 'state' | 'firstSeenAt' | 'lastSeenAt';

const COLUMNS: Array<{ column: Column; label: string }> = [
  { column: 'kind', label: 'Kind' },
  { column: 'key', label: 'Key' },
  { column: 'severity', label: 'Severity' },
  { column: 'verdict', label: 'Verdict' },
  { column: 'state', label: 'State' },
  { column: 'firstSeenAt', label: 'First seen' },
  { column: 'lastSeenAt', label: 'Last seen' },
];

/** Ascending puts the most severe first. */
const SEVERITY_RANK: Record<string, number> = { critical: 0, warning: 1, info: 2 };

interface Props {
  rows: Finding[];
  /** Null when the operator cannot act: no checkboxes then. */
  selectedIds: ReadonlySet<string> | null;
  onToggle(rows: Finding[], isOn: boolean): void;
}

export function FindingsTable({ rows, selectedIds, onToggle }: Props) {
  const [sort, setSort] = useState<SortState<Column> | null>(null);
  const sorted = sortRows(rows, sort, (row, column) =>
    column === 'severity' ? (SEVERITY_RANK[row.severity] ?? 3) : row[column],
  );
  const selectedOnPage = selectedIds ? rows.filter((row) => selectedIds.has(row.id)).length : 0;

  return (
    <div class="table-wrap">
      <table data-testid="findings-table">
        <thead>
          <tr>
            {selectedIds && (
              <th scope="col" class="check">
                <SelectAll
                  checked={rows.length > 0 && selectedOnPage === rows.length}
                  isPartial={selectedOnPage > 0 && selectedOnPage < rows.length}
                  onChange={(isOn) => onToggle(rows, isOn)}
                />
              </th>
            )}
            {COLUMNS.map(({ column, label }) => (
              <SortableHeader
                key={column}
                column={column}
                label={label}
                sort={sort}
                onSort={(c) => setSort(nextSort(sort, c))}
              />
            ))}
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((finding) => (
            <tr key={finding.id} data-testid="finding-row" data-finding-id={finding.id} class={finding.severity}>
              {selectedIds && (
                <td class="check">
                  <input
                    type="checkbox"
                    data-testid="select-row"
                    aria-label={`Select ${finding.id}`}
                    checked={selectedIds.has(finding.id)}
                    onChange={(e) => onToggle([finding], e.currentTarget.checked)}
                  />
                </td>
              )}
              <td>{finding.kind}</td>
              <td class="mono">
                <a href={href.finding(finding.id)}>{finding.key}</a>
              </td>
              <td>
                <span class={`badge ${finding.severity}`}>{finding.severity}</span>
              </td>
              <td>{finding.verdict}</td>
              <td>{finding.state}</td>
              <td>
                <Ago iso={finding.firstSeenAt} />
              </td>
              <td>
                <Ago iso={finding.lastSeenAt} />
              </td>
              <td>{finding.actions.join(', ') || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** `indeterminate` is a DOM property only (no attribute), so it is set from JS. */
function SelectAll({
  checked,
  isPartial,
  onChange,
}: {
  checked: boolean;
  isPartial: boolean;
  onChange(isOn: boolean): void;
}) {
  const box = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (box.current) box.current.indeterminate = isPartial;
  }, [isPartial]);
  return (
    <input
      ref={box}
      type="checkbox"
      data-testid="select-all"
      aria-label="Select every finding on this page"
      checked={checked}
      onChange={(e) => onChange(e.currentTarget.checked)}
    />
  );
}
