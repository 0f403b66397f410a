import type { Advice } from './define-kind.ts';
import type { DeadLetterEvidence } from './kinds/dead-letter.ts';

// What a dead letter's evidence says about why it died and whether a redrive can help: the broker's death reason
// and whether the body parses are what tell a consumer that was away from a message it will never take.

export function causeOf(e: DeadLetterEvidence): string {
  const queue = e.firstDeathQueue ?? e.queue;
  const again = e.count > 1 ? ` It died ${e.count} times: without a fix it comes back.` : '';
  if (!e.isParseable)
    return (
      `Its body cannot be parsed, so the consumer of ${queue} rejected a message it can never process (a poison ` +
      `message).${again}`
    );
  switch (e.reason) {
    case 'expired':
      return `It waited in ${queue} longer than its time to live: the consumer was down or too slow; the message is fine.${again}`;
    case 'maxlen':
      return `${queue} was full (its length limit) and dropped it: the consumer fell behind; the message is fine.${again}`;
    case 'delivery_limit':
      return `The consumer of ${queue} failed on it until the delivery limit: it crashes or requeues on this message.${again}`;
    case 'rejected':
      return (
        `The consumer of ${queue} read it and rejected it: a field it needs is missing or invalid, or it hit a bug ` +
        `(its logs say which).${again}`
      );
    default:
      return `The broker dead-lettered it from ${queue} with reason ${e.reason}.${again}`;
  }
}

export function recommendFor(e: DeadLetterEvidence): Advice<'redrive' | 'discard'> {
  if (!e.isParseable)
    return {
      action: 'discard',
      why:
        'A body the consumer cannot parse is rejected again if redriven. Discard keeps it in Recon, searchable; ' +
        'if it carried an order, check that the order has its dispatch.',
    };
  if (e.count > 1)
    return {
      action: null,
      why: 'It already came back after dying: find why the consumer refuses it before redriving it again.',
    };
  if (e.reason === 'expired' || e.reason === 'maxlen')
    return {
      action: 'redrive',
      why:
        'The message is fine; it died because the consumer was away. Once its queue has consumers again, redrive ' +
        'delivers it (Recon publishes nothing when the order already has its dispatch).',
    };
  return {
    action: null,
    why:
      'The consumer refused a readable message: read its logs for why. Redrive after the fix; discard if the ' +
      'message no longer matters.',
  };
}
