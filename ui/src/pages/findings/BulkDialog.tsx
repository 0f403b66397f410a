import { useState } from 'preact/hooks';
import { ACTION_NAMES } from '../../../../reconcilers/registry.ts';
import { errorMessage } from '../../api/client.ts';
import { api } from '../../api/endpoints.ts';
import type { ActionName, BulkBody, BulkPlan, Finding } from '../../api/types.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { ErrorText } from '../../components/ErrorText.tsx';
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
  const options = offeredActions(scope === 'selection' ? selected : []);
  const [chosen, setChosen] = useState<string>(options[0]!);
  // A scope change can take the chosen action off the list: then the first one offered is what runs.
  const action = options.find((name) => name === chosen) ?? options[0]!;
  const [reason, setReason] = useState('');
  const [ratePerSecond, setRatePerSecond] = useState(20);
  const [plan, setPlan] = useState<{ plan: BulkPlan; idempotencyKey: string } | null>(null);
  const [isSending, setIsSending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const body = (): BulkBody => ({
    action,
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
    await send(async () => {
      const planned = await api.bulk.plan(body());
      // One key per shown plan: a retried Execute of this plan replays, a new plan is a new request.
      setPlan({ plan: planned, idempotencyKey: newIdempotencyKey() });
    });
  }

  async function execute() {
    if (!plan) return;
    await send(async () => {
      const started = await api.bulk.start(body(), plan.idempotencyKey);
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
          {filter.q ? `, search “${filter.q}”` : ''})
        </label>
      </fieldset>
      <label for="bulk-action-select">Action</label>
      <select
        id="bulk-action-select"
        data-testid="bulk-action-select"
        value={action}
        onChange={(e) => change(setChosen)(e.currentTarget.value)}
      >
        {options.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
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
        <button type="button" data-testid="bulk-dry-run" disabled={!hasReason || isSending} onClick={dryRun}>
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

/**
 * The actions every selected finding allows. For a filter, or a selection with nothing in common, every action:
 * the dry run then says which items it skips and why.
 */
function offeredActions(selected: Finding[]): readonly ActionName[] {
  // Each finding's actions are its own kind's: read them as names, whatever the kind.
  const allows = (f: Finding, action: ActionName) => (f.actions as readonly string[]).includes(action);
  const common = ACTION_NAMES.filter((action) => selected.every((f) => allows(f, action)));
  return common.length > 0 ? common : ACTION_NAMES;
}
