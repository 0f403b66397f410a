import { ACTION_NAMES, FINDING_KINDS } from '../../../../reconcilers/registry.ts';

export interface AuditFilterValues {
  actor: string;
  action: string;
  kind: string;
  /** Hours back from now; '' for any time. */
  sinceHours: string;
}

export const NO_FILTER: AuditFilterValues = { actor: '', action: '', kind: '', sinceHours: '' };

/** Time ranges as the on-call asks them: last hour, this shift, this week. Relative, so no zone to get wrong. */
const RANGES = [
  { hours: '1', label: 'last hour' },
  { hours: '24', label: 'last 24 h' },
  { hours: '168', label: 'last 7 days' },
];

interface Props {
  values: AuditFilterValues;
  onChange(values: AuditFilterValues): void;
  /** The same filters as a CSV download (GET /api/audit.csv). */
  csvHref: string;
}

export function AuditFilters({ values, onChange, csvHref }: Props) {
  const set = (field: keyof AuditFilterValues) => (value: string) => onChange({ ...values, [field]: value });
  return (
    <search>
      <form
        class="filters"
        data-testid="audit-filters"
        onSubmit={(e) => {
          e.preventDefault();
          const actor = new FormData(e.currentTarget).get('actor');
          set('actor')(typeof actor === 'string' ? actor.trim() : '');
        }}
      >
        <label>
          Actor
          <input name="actor" data-testid="audit-actor" maxLength={200} defaultValue={values.actor} />
        </label>
        <label>
          Action
          <select
            data-testid="audit-action-filter"
            value={values.action}
            onChange={(e) => set('action')(e.currentTarget.value)}
          >
            <option value="">any</option>
            {ACTION_NAMES.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
            <option value="user">user changes</option>
          </select>
        </label>
        <label>
          Kind
          <select
            data-testid="audit-kind-filter"
            value={values.kind}
            onChange={(e) => set('kind')(e.currentTarget.value)}
          >
            <option value="">any</option>
            {FINDING_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {kind}
              </option>
            ))}
          </select>
        </label>
        <label>
          When
          <select
            data-testid="audit-range"
            value={values.sinceHours}
            onChange={(e) => set('sinceHours')(e.currentTarget.value)}
          >
            <option value="">any time</option>
            {RANGES.map((r) => (
              <option key={r.hours} value={r.hours}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" data-testid="audit-apply">
          Apply
        </button>
        <a href={csvHref} download data-testid="audit-csv">
          Download CSV
        </a>
      </form>
    </search>
  );
}
