import { useState } from 'preact/hooks';
import { errorMessage } from '../../api/client.ts';
import { api } from '../../api/endpoints.ts';
import type { ActionName, BulkBody, BulkPlan, Finding } from '../../api/types.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorText } from '../../components/ErrorText.tsx';
import { useApi } from '../../hooks/use-api.ts';
import { kindsOfSelection, toActionOptions } from '../../lib/bulk-options.ts';
import { newIdempotencyKey } from '../../lib/idempotency-key.ts';
import { href } from '../../routing/routes.ts';
import { navigate } from '../../routing/use-route.ts';
import { BulkPlanTable } from './BulkPlanTable.tsx';

interface Props {
  selected: Finding[];
  /** The list's current filter, for "every open finding that matches". */
  filter: { kind: string; q: string };
  onClose(): void;
}

type Scope = 'selection' | 'filter';

/**
 * Bulk: choose the findings (the selection, or every open finding matching the filter), the action and a reason;
 * a dry run shows what would happen to each item; only then can it be executed. Changing any input discards the
 * plan, so what runs is always what was shown.
 */
export function BulkDialog({ selected, filter, onClose }: Props) {
  const [scope, setScope] = useState<Scope>(selected.length > 0 ? 'selection' : 'filter');
  // "Every open finding matching the filter", counted by the server as the bulk will select it, before any dry run.
  const matching = useApi(
    (signal) =>
      api.bulk.selection(
        { ...(filter.kind ? { kind: filter.kind } : {}), ...(filter.q ? { q: filter.q } : {}) },
        signal,
      ),
    [filter.kind, filter.q],
  );
  const kinds = scope === 'selection' ? kindsOfSelection(selected) : matching.data?.kinds;
  const options = toActionOptions(kinds ?? []);
  const [chosen, setChosen] = useState<string>('');
  // Only an action offered for this scope runs; a scope change that takes it off the list leaves none chosen.
  const action = options.choices.find((c) => c.action === chosen)?.action ?? options.defaultAction;
  const [reason, setReason] = useState('');
  const [ratePerSecond, setRatePerSecond] = useState(20);
  const [plan, setPlan] = useState<{ plan: BulkPlan; idempotencyKey: string } | null>(null);
  const [isSending, setIsSending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const body = (chosenAction: ActionName): BulkBody => ({
    action: chosenAction,
    reason: reason.trim(),
    ratePerSecond,
    ...(scope === 'selection'
      ? { findingIds: selected.map((f) => f.id) }
      : { filter: { ...(filter.kind ? { kind: filter.kind } : {}), ...(filter.q ? { q: filter.q } : {}) } }),
  });
  const change =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setPlan(null);
    };

  async function dryRun() {
    if (!action) return;
    await send(async () => {
      const planned = await api.bulk.plan(body(action));
      // One key per shown plan: a retried Execute of this plan replays, a new plan is a new request.
      setPlan({ plan: planned, idempotencyKey: newIdempotencyKey() });
    });
  }

  async function execute() {
    if (!plan || !action) return;
    await send(async () => {
      const started = await api.bulk.start(body(action), plan.idempotencyKey);
      navigate(href.bulk(started.id));
    });
  }

  async function send(work: () => Promise<void>) {
    setIsSending(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setIsSending(false);
    }
  }

  const hasReason = reason.trim().length > 0;
  const canUseSelection = selected.length > 0;
  return (
    <Dialog testId="bulk-dialog" title="Bulk action" onClose={onClose}>
      <fieldset>
        <legend>Findings</legend>
        <label class="inline">
          <input
            type="radio"
            name="bulk-scope"
            data-testid="bulk-scope-selection"
            checked={scope === 'selection'}
            disabled={!canUseSelection}
            onChange={() => change(setScope)('selection')}
          />
          the {selected.length} selected
        </label>
        <label class="inline">
          <input
            type="radio"
            name="bulk-scope"
            data-testid="bulk-scope-filter"
            checked={scope === 'filter'}
            onChange={() => change(setScope)('filter')}
          />
          every open finding matching the filter ({filter.kind || 'all kinds'}
          {filter.q ? `, search “${filter.q}”` : ''}):{' '}
          <span data-testid="bulk-filter-count" data-count={matching.data ? String(matching.data.total) : undefined}>
            {matching.data ? countText(matching.data.total, matching.data.kinds) : matching.error ? '?' : '…'}
          </span>
        </label>
      </fieldset>
      <ErrorText error={matching.error} testId="bulk-count-error" />
      <label for="bulk-action-select">Action</label>
      <select
        id="bulk-action-select"
        data-testid="bulk-action-select"
        value={action ?? ''}
        disabled={options.choices.length === 0}
        onChange={(e) => change(setChosen)(e.currentTarget.value)}
      >
        {!action && (
          <option value="" disabled>
            {options.choices.length === 0 ? 'no action applies' : 'Choose an action…'}
          </option>
        )}
        {options.choices.map(({ action: name, applies }) => (
          <option key={name} value={name}>
            {applies === options.total ? name : `${name} (applies to ${applies} of ${options.total})`}
          </option>
        ))}
      </select>
      {kinds && options.choices.length === 0 && options.total > 0 && (
        <p class="muted" data-testid="bulk-no-action">
          Recon has no repair for these kinds: fix the cause (see each finding's page).
        </p>
      )}
      <label for="bulk-reason">Reason (required, kept in the audit log)</label>
      <textarea
        id="bulk-reason"
        data-testid="bulk-reason"
        data-autofocus
        rows={2}
        maxLength={1000}
        value={reason}
        onInput={(e) => change(setReason)(e.currentTarget.value)}
      />
      <label for="bulk-rate">Rate cap (actions per second)</label>
      <input
        id="bulk-rate"
        data-testid="bulk-rate"
        type="number"
        min={0.1}
        max={500}
        step="any"
        value={ratePerSecond}
        onInput={(e) => change(setRatePerSecond)(Number(e.currentTarget.value) || 20)}
      />
      <ErrorText error={error} testId="bulk-error" />
      {plan && <BulkPlanTable plan={plan.plan} />}
      <div class="buttons">
        <button type="button" data-testid="bulk-dry-run" disabled={!hasReason || !action || isSending} onClick={dryRun}>
          Dry run
        </button>
        <button
          type="button"
          class="primary"
          data-testid="bulk-execute"
          disabled={!plan || plan.plan.willAct === 0 || isSending}
          onClick={execute}
        >
          {plan ? `Execute on ${plan.plan.willAct} of ${plan.plan.total}` : 'Execute (dry run first)'}
        </button>
        <button type="button" data-testid="bulk-dialog-cancel" onClick={onClose}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}

/** "32: 30 dead-letter, 2 order-without-dispatch" — how many, and of which kinds. */
function countText(total: number, kinds: ReadonlyArray<{ kind: string; count: number }>): string {
  if (total === 0) return 'none open';
  return `${total}: ${kinds.map((k) => `${k.count} ${k.kind}`).join(', ')}`;
}
