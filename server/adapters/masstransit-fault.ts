import { own, textOrNull, toJsonSafe } from './amqp-values.ts';
import { type Death, MAX_INDEXED_TEXT, MAX_INT, UNKNOWN_DEATH } from './dead-letter-death.ts';

// MassTransit does not dead-letter. When a consumer faults for good, MassTransit itself publishes the message, body
// and properties unchanged, to the endpoint's `<queue>_error` exchange (bound to the `<queue>_error` queue) and
// adds headers saying why. The names are MassTransit's `MessageHeaders` constants (MassTransit.Abstractions).
const REASON = 'MT-Reason';
const FAULT_PREFIX = 'MT-Fault-';
/** The endpoint the message faulted in: `rabbitmq://host/vhost/queue`, the vhost left out when it is `/`. */
const INPUT_ADDRESS = 'MT-Fault-InputAddress';
const TIMESTAMP = 'MT-Fault-Timestamp';
/** Times the message was redelivered before this delivery (absent or zero if never). */
const REDELIVERY_COUNT = 'MT-Redelivery-Count';

/**
 * The masstransit style. The origin is the queue the message faulted in, reached through the default exchange (the
 * queue's name as routing key), so a redrive puts it back into that queue alone, as tools that return MassTransit's
 * faulted messages do. The exception's type, message and stack trace stay in the stored headers. A letter with
 * neither MT-Reason nor any MT-Fault-* header is not MassTransit's: reason `unknown`.
 */
export function massTransitDeath(headers: Record<string, unknown>): Death {
  if (!Object.keys(headers).some((name) => name === REASON || name.startsWith(FAULT_PREFIX))) return UNKNOWN_DEATH;
  const reason = textOrNull(own(headers, REASON), MAX_INDEXED_TEXT) ?? 'fault';
  const inputQueue = queueOf(own(headers, INPUT_ADDRESS));
  return {
    reason,
    deathCount: deliveriesOf(own(headers, REDELIVERY_COUNT)),
    originExchange: inputQueue === null ? null : '',
    originRoutingKeys: inputQueue === null ? [] : [inputQueue],
    firstDeathQueue: inputQueue,
    identity: toJsonSafe([own(headers, INPUT_ADDRESS), own(headers, TIMESTAMP), reason]),
  };
}

/**
 * The queue of an endpoint address: its last path segment, without the query, URL-decoded
 * (`rabbitmq://host/vhost/submit-order?temporary=true` → `submit-order`). Null when there is none, or when it is
 * no queue name RabbitMQ accepts (longer than 255, or holding U+0000, which PostgreSQL's text rejects too).
 */
function queueOf(address: unknown): string | null {
  if (typeof address !== 'string') return null;
  let name: string;
  try {
    name = decodeURIComponent(new URL(address).pathname.split('/').at(-1) ?? '');
  } catch {
    return null; // not a URL, or a malformed %-escape
  }
  return name !== '' && name.length <= MAX_INDEXED_TEXT && !name.includes('\u0000') ? name : null;
}

/** The deliveries that faulted: the redeliveries before this one, plus this one. */
function deliveriesOf(redeliveries: unknown): number {
  const count =
    typeof redeliveries === 'string' && /^\d{1,10}$/.test(redeliveries) ? Number(redeliveries) : redeliveries;
  return typeof count === 'number' && Number.isInteger(count) && count > 0 ? Math.min(MAX_INT, count + 1) : 1;
}
