import { useState } from 'preact/hooks';
import { api } from '../../api/endpoints.ts';
import { canAct, useSignedIn } from '../../api/session-store.ts';
import type { DeadLetter, FindingDetail } from '../../api/types.ts';
import { ActionResultNote } from '../../components/ActionResultNote.tsx';
import { type ActionResult, ConfirmActionDialog } from '../../components/ConfirmActionDialog.tsx';
import { ErrorText } from '../../components/ErrorText.tsx';
import { useApi } from '../../hooks/use-api.ts';
import { href } from '../../routing/routes.ts';
import { RepairChoices } from '../findings/RepairChoices.tsx';

type ActionDetail = FindingDetail['actionDetails'][number];

const POISON_WARNING =
  'This body could not be parsed: the consumer will very likely reject it again, and it comes back as a new dead ' +
  'letter. Discard it unless the consumer was changed to read it.';
const AFTER_REDRIVE =
  'Published; Recon watches for it to die again: if the consumer rejects it, it comes back as a new dead letter ' +
  '(a replay of this one) and a new finding.';

interface Props {
  letter: DeadLetter;
  /** Called after each action request, so the page shows the letter's new state. */
  onActed(): void;
}

/**
 * Redrive and discard on the letter's own page: the same repairs, words and confirmation as its finding's page, run
 * against that finding (`dead-letter:<key>`). A body that does not parse makes discard the recommended choice and
 * redrive's confirmation a warning: a poison letter redriven only dies again.
 */
export function LetterActions({ letter, onActed }: Props) {
  const session = useSignedIn();
  const findingId = `dead-letter:${letter.dedupeKey}`;
  const { data: finding, error, reload } = useApi((signal) => api.findings.get(findingId, signal), [findingId]);
  const [confirming, setConfirming] = useState<ActionDetail | null>(null);
  const [result, setResult] = useState<ActionResult | null>(null);

  if (!finding) return error ? <ErrorText error={error} /> : <p data-testid="loading">Loading…</p>;

  // The server recommends discard for an unparseable body already; this holds even where it recommends nothing.
  const shown: FindingDetail = letter.isParseable
    ? finding
    : { ...finding, recommendation: { action: 'discard', why: finding.recommendation?.why ?? POISON_WARNING } };

  return (
    <section data-testid="letter-actions" aria-labelledby="letter-actions-title">
      <h2 id="letter-actions-title">Actions</h2>
      {!letter.isParseable && letter.state === 'stored' && (
        <p class="banner warn" data-testid="letter-poison">
          {POISON_WARNING}
        </p>
      )}
      {/* The letter settles with its action; the finding resolves a cycle later. */}
      {finding.state === 'open' && letter.state === 'stored' ? (
        <RepairChoices
          finding={shown}
          allowActions={canAct(session)}
          reasonNotAllowed={session.readOnly ? 'Recon is read-only' : `your role is ${session.user.role}`}
          onPick={(picked) => {
            setResult(null);
            setConfirming(picked);
          }}
        />
      ) : (
        <p class="muted" data-testid="letter-settled">
          Nothing to do: the letter is {letter.state}. <a href={href.finding(findingId)}>Its finding</a>
        </p>
      )}
      {result && (
        <ActionResultNote result={result} nextStep={(action) => (action.action === 'redrive' ? AFTER_REDRIVE : null)} />
      )}
      {confirming && (
        <ConfirmActionDialog
          findingId={finding.id}
          action={confirming.action}
          description={confirming.description}
          warning={confirming.action === 'redrive' && !letter.isParseable ? POISON_WARNING : undefined}
          onClose={() => setConfirming(null)}
          onResult={(outcome) => {
            setConfirming(null);
            setResult(outcome);
            reload();
            onActed();
          }}
        />
      )}
    </section>
  );
}
