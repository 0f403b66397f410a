import { createHash } from 'node:crypto';
import type { Message } from 'amqplib';
import { REPLAY_COUNT_HEADER } from '../../reconcilers/kinds/dead-letter.ts';
import type { DeadLetterRecord } from '../../reconcilers/ports/dead-letters.ts';
import type { JsonPathStep } from '../watched-system/json-path.ts';
import type { DeadLetterQueue } from '../watched-system/model.ts';
import { isTable, own, textOrNull, toJsonSafe } from './amqp-values.ts';
import { brokerDeath, toDeaths } from './broker-death.ts';
import { MAX_INDEXED_TEXT } from './dead-letter-death.ts';
import { inspectBody } from './json-body.ts';
import { massTransitDeath } from './masstransit-fault.ts';
import { toStoredHeaders } from './stored-headers.ts';

// A redriven message keeps its message_id, so Recon's replay counter is part of the dedupe key: dying again after
// a redrive is a new dead letter, not a repeat delivery of the old one.

export interface RecordOptions {
  maxBodyBytes: number;
  /** The flow's message.orderIdPath, parsed once at start. */
  orderIdPath: readonly JsonPathStep[];
  /**
   * The header a library names its message in when it sets no AMQP message-id (CAP's `cap-msg-id`): the letter's
   * message id then, so it is keyed and searched by the id the outbox and the consumer know.
   */
  messageIdHeader?: string | null;
}

/** Builds what Recon stores from one delivery, as its queue's style tells it. Never throws, whatever was sent. */
export function toDeadLetterRecord(
  source: DeadLetterQueue,
  message: Pick<Message, 'content' | 'properties'>,
  options: RecordOptions,
): DeadLetterRecord {
  const { headers: rawHeaders, ...rawProperties } = message.properties;
  const headers = isTable(rawHeaders) ? rawHeaders : {};
  // x-death is stored whatever the style: it is what the broker says happened to the message.
  const deaths = toDeaths(own(headers, 'x-death'));
  const { identity, ...death } =
    source.style === 'masstransit' ? massTransitDeath(headers) : brokerDeath(headers, deaths);
  const body = inspectBody(message.content, options.maxBodyBytes, options.orderIdPath);
  const stored = toStoredHeaders(headers);
  const messageId =
    textOrNull(rawProperties.messageId, MAX_INDEXED_TEXT) ??
    (options.messageIdHeader ? headerText(own(headers, options.messageIdHeader)) : null);
  return {
    queue: source.queue,
    messageId,
    dedupeKey: dedupeKeyOf(messageId, headers, message.content, identity),
    body: body.body,
    bodySize: body.size,
    bodyTruncated: body.isTruncated,
    isParseable: body.isParseable,
    contentType: textOrNull(rawProperties.contentType, MAX_INDEXED_TEXT),
    properties: toJsonSafe(rawProperties) as Record<string, unknown>,
    headers: stored.headers,
    headerEntries: stored.entries,
    headerEntriesOmitted: stored.omitted,
    xDeath: deaths,
    ...death,
    orderId: body.orderId,
  };
}

/** A header holding an id: text as it is, an integer in decimal (a header table may carry a number). */
function headerText(value: unknown): string | null {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  return textOrNull(value, MAX_INDEXED_TEXT);
}

/**
 * The message id when there is one (plus Recon's replay count). Without one, a sha256 of the whole body and the
 * death's identity (the latest x-death entry; MassTransit's input address and fault time): equal on every
 * redelivery from the dead-letter queue. Two different messages with the same body that died the same way in the
 * same second share it; they are identical to an operator, and recognising a repeat delivery after a crash matters
 * more than counting such twins.
 */
function dedupeKeyOf(
  messageId: string | null,
  headers: Record<string, unknown>,
  content: Buffer,
  identity: unknown,
): string {
  const replay = own(headers, REPLAY_COUNT_HEADER);
  const replaySuffix = typeof replay === 'number' && Number.isInteger(replay) && replay > 0 ? `#replay-${replay}` : '';
  if (messageId) return `${messageId}${replaySuffix}`;
  const hash = createHash('sha256')
    .update(JSON.stringify([content.length, identity]))
    .update('\n')
    .update(content);
  return `sha256:${hash.digest('hex')}${replaySuffix}`;
}
