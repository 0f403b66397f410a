import { useEffect } from 'preact/hooks';
import { api } from '../../api/endpoints.ts';
import { ActionsTable } from '../../components/ActionsTable.tsx';
import { ErrorText } from '../../components/ErrorText.tsx';
import { useApi } from '../../hooks/use-api.ts';

interface Props {
  findingId: string;
  /** Changes when an action was just requested here: load the list again. */
  version: number;
}

/** What was already tried on this finding: before pressing a button, an operator sees who did what and how it ended. */
export function FindingActions({ findingId, version }: Props) {
  const { data, error, reload } = useApi((signal) => api.actions.list({ findingId, limit: 20 }, signal), [findingId]);
  useEffect(() => {
    if (version > 0) reload();
  }, [version, reload]);

  return (
    <section aria-labelledby="finding-actions-title">
      <h2 id="finding-actions-title">Actions on this finding</h2>
      <ErrorText error={error} />
      {data && data.items.length === 0 && <p class="muted">None yet.</p>}
      {data && data.items.length > 0 && <ActionsTable actions={data.items} testId="finding-actions" />}
    </section>
  );
}
