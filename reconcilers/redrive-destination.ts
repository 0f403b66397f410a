import type { RepairPorts, StoredLetter } from './ports/repair.ts';

// A letter's origin comes from its own headers (x-death, MT-Fault-InputAddress), which whoever may publish to the
// dead-letter queue writes: a forged `exchange: sp.other` once redrove a message into an unrelated queue. So a
// redrive goes only where the configuration sends the flow's messages, whatever the letter says.

/** MassTransit names an endpoint's error queue after its input queue: `submit-order` → `submit-order_error`. */
const MASSTRANSIT_ERROR_SUFFIX = '_error';

/** Why this letter may not be redriven to the origin it names, in words; null when it may. */
export function redriveRefusal(
  letter: Pick<StoredLetter, 'id' | 'queue' | 'originExchange' | 'originRoutingKeys'>,
  ports: Pick<RepairPorts, 'messageRoute' | 'deadLetterQueues'>,
): string | null {
  const style = ports.deadLetterQueues.find((q) => q.queue === letter.queue)?.style ?? 'dead-letter-exchange';
  const exchange = letter.originExchange ?? '';
  if (style === 'masstransit') {
    const inputQueue = letter.queue.endsWith(MASSTRANSIT_ERROR_SUFFIX)
      ? letter.queue.slice(0, -MASSTRANSIT_ERROR_SUFFIX.length)
      : null;
    const named = letter.originRoutingKeys[0] ?? '';
    if (inputQueue && exchange === '' && named === inputQueue) return null;
    const allowed = inputQueue
      ? `may only go back to queue ${inputQueue}`
      : `cannot go back: the error queue's name does not end in ${MASSTRANSIT_ERROR_SUFFIX}, so its input queue is unknown`;
    return `dead letter ${letter.id} names ${describe(exchange, named)} as its origin; a redrive from ${letter.queue} ${allowed}`;
  }
  const configured = ports.messageRoute.exchange;
  if (exchange === configured) return null;
  return (
    `dead letter ${letter.id} names ${describe(exchange, letter.originRoutingKeys[0] ?? '')} as its origin; a redrive from ${letter.queue} may ` +
    `only publish to exchange ${shown(configured)} (the flow's message.exchange)`
  );
}

const shown = (exchange: string) => exchange || '(default)';
const describe = (exchange: string, routingKey: string) =>
  exchange === '' ? `queue ${routingKey || '(none)'}` : `exchange ${exchange} (routing key ${routingKey || '(none)'})`;
