import type { DeadLetter } from '../../api/types.ts';
import { href } from '../../routing/routes.ts';

/**
 * "Replay 2 of letter #48, redriven by oncall": a copy that died again, linked to the letter it started as and the
 * redrive that sent it, so a poison message going round in a loop reads as one story.
 */
export function ReplayNote({ replay }: { replay: NonNullable<DeadLetter['replay']> }) {
  const { number, firstLetterId, previousLetterId, action } = replay;
  return (
    <p class="banner warn" data-testid="dead-letter-replay" data-replay={String(number)}>
      Replay {number} of{' '}
      {firstLetterId ? (
        <a href={href.deadLetter(firstLetterId)} data-testid="replay-first-letter">
          letter #{firstLetterId}
        </a>
      ) : (
        'a letter Recon no longer holds'
      )}
      {previousLetterId && previousLetterId !== firstLetterId && (
        <>
          {' '}
          (the copy before this one: <a href={href.deadLetter(previousLetterId)}>letter #{previousLetterId}</a>)
        </>
      )}
      {action ? (
        <>
          , redriven by {action.actor} in{' '}
          <a href={href.action(action.id)} data-testid="replay-action">
            this action
          </a>{' '}
          ({action.status}).
        </>
      ) : (
        '.'
      )}{' '}
      It died again after the redrive: find why the consumer refuses it before redriving it once more.
    </p>
  );
}
