import { createHash } from 'node:crypto';
import type { Message } from 'amqplib';
import { REPLAY_COUNT_HEADER } from '../../reconcilers/kinds/dead-letter.ts';
import type { DeadLetterRecord, DeathEntry } from '../../reconcilers/ports/dead-letters.ts';
import { cleanText, isTable, own, textOrNull, toJsonSafe } from './amqp-values.ts';
import { inspectBody } from './json-body.ts';

// A redriven message keeps its message_id, so Recon's replay counter is part of the dedupe key: dying again after
// a redrive is a new dead letter, not a repeat delivery of the old one.
/** Entries of x-death kept; the broker keeps one per (queue, reason), so real messages have a handful. */
const MAX_DEATHS = 50;
/** death_count is an int column: a forged count must not make the insert fail. */
const MAX_INT = 2_147_483_647;
/** Texts that end up in a btree index (reason, message id) stay far below PostgreSQL's index row limit. */
const MAX_INDEXED_TEXT = 255;

/** Builds what Recon stores from one delivery. Never throws, whatever the producer sent. */
export function toDeadLetterRecord(
  queue: string,
  message: Pick<Message, 'content' | 'properties'>,
  maxBodyBytes: number,
): DeadLetterRecord {
  const { headers: rawHeaders, ...rawProperties } = message.properties;
  const headers = isTable(rawHeaders) ? rawHeaders : {};
  const deaths = toDeaths(own(headers, 'x-death'));
  const latest = deaths[0];
  // The oldest death names where the message was first published: the redrive's target.
  const earliest = deaths.at(-1);
  const body = inspectBody(message.content, maxBodyBytes);
  const messageId = textOrNull(rawProperties.messageId, MAX_INDEXED_TEXT);
  return {
    queue,
    messageId,
    dedupeKey: dedupeKeyOf(messageId, headers, message.content, latest),
    body: body.body,
    bodySize: body.size,
    bodyTruncated: body.isTruncated,
    isParseable: body.isParseable,
    contentType: textOrNull(rawProperties.contentType, MAX_INDEXED_TEXT),
    properties: toJsonSafe(rawProperties) as Record<string, unknown>,
    headers: toJsonSafe(headers) as Record<string, unknown>,
    xDeath: deaths,
    reason: cleanText(
      latest?.reason ?? textOrNull(own(headers, 'x-first-death-reason')) ?? 'unknown',
      MAX_INDEXED_TEXT,
    ),
    deathCount: latest?.count ?? 0,
    originExchange: earliest?.exchange ?? textOrNull(own(headers, 'x-first-death-exchange')),
    originRoutingKeys: earliest?.routingKeys ?? [],
    firstDeathQueue: textOrNull(own(headers, 'x-first-death-queue')) ?? earliest?.queue ?? null,
    orderId: body.orderId,
  };
}

/**
 * The message id when there is one (plus Recon's replay count). Without one, a sha256 of the whole body and the
 * latest death's queue, reason, count, exchange, routing keys and time: all equal on every redelivery from the
 * dead-letter queue (unlike x-delivery-count, which quorum queues add). Two different messages with the same body
 * dead-lettered from the same queue in the same second share it; they are identical to an operator, and
 * recognising a repeat delivery after a crash matters more than counting such twins.
 */
function dedupeKeyOf(
  messageId: string | null,
  headers: Record<string, unknown>,
  content: Buffer,
  latest: DeathEntry | undefined,
): string {
  const replay = own(headers, REPLAY_COUNT_HEADER);
  const replaySuffix = typeof replay === 'number' && Number.isInteger(replay) && replay > 0 ? `#replay-${replay}` : '';
  if (messageId) return `${messageId}${replaySuffix}`;
  const death = latest
    ? [latest.queue, latest.reason, latest.count, latest.exchange, latest.routingKeys, latest.time]
    : null;
  const hash = createHash('sha256')
    .update(JSON.stringify([content.length, death]))
    .update('\n')
    .update(content);
  return `sha256:${hash.digest('hex')}${replaySuffix}`;
}

/** x-death, most recent first: each entry a table of queue, reason, count, time, exchange, routing-keys. */
function toDeaths(value: unknown): DeathEntry[] {
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
