import type { DeathEntry } from '../../reconcilers/ports/dead-letters.ts';
import { cleanText, isTable, own, textOrNull } from './amqp-values.ts';
import { type Death, MAX_INDEXED_TEXT, MAX_INT } from './dead-letter-death.ts';

/** Entries of x-death kept; the broker keeps one per (queue, reason), so real messages have a handful. */
const MAX_DEATHS = 50;

/**
 * The dead-letter-exchange style: reason and count of the most recent death; the origin (the redrive's target)
 * from the oldest, which names where the message was first published. Without x-death, the x-first-death-*
 * headers, else reason `unknown`.
 */
export function brokerDeath(headers: Record<string, unknown>, deaths: readonly DeathEntry[]): Death {
  const latest = deaths[0];
  const earliest = deaths.at(-1);
  return {
    reason: cleanText(
      latest?.reason ?? textOrNull(own(headers, 'x-first-death-reason')) ?? 'unknown',
      MAX_INDEXED_TEXT,
    ),
    deathCount: latest?.count ?? 0,
    originExchange: earliest?.exchange ?? textOrNull(own(headers, 'x-first-death-exchange')),
    originRoutingKeys: earliest?.routingKeys ?? [],
    firstDeathQueue: textOrNull(own(headers, 'x-first-death-queue')) ?? earliest?.queue ?? null,
    // All equal on every redelivery from the dead-letter queue (unlike x-delivery-count, which quorum queues add).
    identity: latest
      ? [latest.queue, latest.reason, latest.count, latest.exchange, latest.routingKeys, latest.time]
      : null,
  };
}

/** x-death, most recent first: each entry a table of queue, reason, count, time, exchange, routing-keys. */
export function toDeaths(value: unknown): DeathEntry[] {
  if (!Array.isArray(value)) return [];
  return value
    .slice(0, MAX_DEATHS)
    .filter(isTable)
    .map((entry) => {
      const count = own(entry, 'count');
      const keys = own(entry, 'routing-keys');
      return {
        queue: textOrNull(own(entry, 'queue'), MAX_INDEXED_TEXT),
        reason: textOrNull(own(entry, 'reason'), MAX_INDEXED_TEXT),
        count:
          typeof count === 'number' && Number.isFinite(count)
            ? Math.min(MAX_INT, Math.max(0, Math.floor(count)))
            : null,
        time: timeOf(own(entry, 'time')),
        exchange: typeof own(entry, 'exchange') === 'string' ? cleanText(own(entry, 'exchange') as string, 255) : null,
        routingKeys: Array.isArray(keys)
          ? keys
              .filter((k): k is string => typeof k === 'string')
              .slice(0, MAX_DEATHS)
              .map((k) => cleanText(k, 255))
          : [],
      };
    });
}

/** amqplib decodes an AMQP timestamp (whole seconds) as `{ '!': 'timestamp', value }`. */
function timeOf(value: unknown): string | null {
  const seconds = own(value, 'value') ?? value;
  if (typeof seconds !== 'number') return null;
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
