import type { InboxPreset, MarkValue, OutboxPreset, ValueSource } from './model.ts';

// The outbox and inbox tables of the libraries Recon knows, by their own names, from their published DDL:
// timestamps: the reference system's (demo/); spring-modulith: spring-modulith-events-jdbc schemas/v2/
// schema-postgresql.sql; cap: dotnetcore/CAP IStorageInitializer.PostgreSql.cs; masstransit: MassTransit's
// EntityFrameworkCoreIntegration OutboxMessage.cs and InboxState.cs; debezium: the outbox event router's
// documented outboxevent table. Recon's tests build these tables verbatim. Any key the file gives overrides these.

export type PendingKind = 'column-null' | 'status-not-in' | 'row-exists' | 'replication-slot';

/** The names a preset fills, as the file's outbox keys; `markPublished` follows the names after overrides. */
export interface OutboxPresetNames {
  table: string;
  pending: PendingKind;
  confirmedAt: string | null;
  statusColumn: string | null;
  doneStatuses: Array<string | number>;
  failedStatuses: Array<string | number> | null;
  /**
   * A row in a failed status is failed for good only after this many attempts (the library retries it until then);
   * null: at once.
   */
  failedAfterAttempts: number | null;
  /** A delayed row's due time, and the statuses in which that column means it (null: every status). */
  delayedUntil: string | null;
  delayedStatuses: Array<string | number> | null;
  /** Null: the library keeps the order id inside its serialized event, where only the user knows the path. */
  orderId: ValueSource | null;
  /** How to give the order id where the preset cannot. */
  orderIdExample?: string;
  messageId: ValueSource;
  createdAt: string | null;
  eventType: string | null;
  publishedAt: string | null;
  attempts: string | null;
  lastError: string | null;
  payload: ValueSource | null;
  /** What the library writes when it has published a row; null when it writes nothing Recon could. */
  markPublished: ((names: MarkNames) => MarkPublished | null) | null;
  /** Where a row keeps the headers the library publishes it with. */
  headers: ValueSource | null;
  /** What the library's consumers read from the headers of every message: the message id, fixed headers by route. */
  message: { idHeader: string | null; headers: (routingKey: string) => Record<string, string> };
}

export type MarkPublished = Array<{ column: string; value: MarkValue }>;
export type MarkNames = Pick<OutboxPresetNames, 'confirmedAt' | 'statusColumn' | 'doneStatuses' | 'publishedAt'>;

/** Debezium: a connector this far behind the database's WAL is stuck. */
export const DEFAULT_MAX_LAG_BYTES = 16 * 1024 * 1024;

const NOW: MarkValue = { now: true };
const NOW_IF_NULL: MarkValue = { now: true, onlyIfNull: true };

const none: Pick<
  OutboxPresetNames,
  | keyof MarkNames
  | 'failedStatuses'
  | 'failedAfterAttempts'
  | 'delayedUntil'
  | 'delayedStatuses'
  | 'attempts'
  | 'lastError'
  | 'headers'
  | 'message'
> = {
  confirmedAt: null,
  statusColumn: null,
  doneStatuses: [],
  failedStatuses: null,
  failedAfterAttempts: null,
  delayedUntil: null,
  delayedStatuses: null,
  publishedAt: null,
  attempts: null,
  lastError: null,
  headers: null,
  message: { idHeader: null, headers: () => ({}) },
};

export const OUTBOX_PRESET_NAMES: Record<OutboxPreset, OutboxPresetNames> = {
  timestamps: {
    ...none,
    table: 'outbox',
    pending: 'column-null',
    confirmedAt: 'confirmed_at',
    orderId: { column: 'aggregate_id' },
    messageId: { column: 'message_id' },
    createdAt: 'created_at',
    eventType: 'event_type',
    publishedAt: 'published_at',
    attempts: 'attempts',
    lastError: 'last_error',
    payload: { column: 'payload' },
    // As the reference relay does: confirmed now; published_at keeps the first publish's time.
    markPublished: (n) =>
      n.confirmedAt === null
        ? null
        : [
            { column: n.confirmedAt, value: NOW },
            ...(n.publishedAt === null ? [] : [{ column: n.publishedAt, value: NOW_IF_NULL }]),
          ],
  },
  'spring-modulith': {
    ...none,
    table: 'event_publication',
    pending: 'column-null',
    confirmedAt: 'completion_date',
    statusColumn: 'status',
    failedStatuses: ['FAILED', 'ABANDONED'],
    orderId: null,
    orderIdExample: '{ json: serialized_event, path: "$.orderId" }',
    messageId: { column: 'id' },
    createdAt: 'publication_date',
    eventType: 'event_type',
    attempts: 'completion_attempts',
    payload: { column: 'serialized_event' },
    markPublished: (n) =>
      n.confirmedAt === null
        ? null
        : [
            { column: n.confirmedAt, value: NOW },
            ...(n.statusColumn === null ? [] : [{ column: n.statusColumn, value: { literal: 'COMPLETED' } }]),
          ],
  },
  cap: {
    ...none,
    table: 'cap.published',
    pending: 'status-not-in',
    statusColumn: 'StatusName',
    doneStatuses: ['Succeeded'],
    failedStatuses: ['Failed'],
    // CAP retries Failed rows while "Retries" < FailedRetryCount (50 by default): IDataStorage.PostgreSql.cs,
    // GetMessagesOfNeedRetryAsync. A team that changed FailedRetryCount sets outbox.failedAfterAttempts to match.
    failedAfterAttempts: 50,
    // A delayed publish is stored Delayed (then Queued) with "ExpiresAt" as the time to send it; CAP's
    // ScheduleMessagesOfDelayedAsync sends it then. In other statuses "ExpiresAt" is when the row may be deleted.
    delayedUntil: 'ExpiresAt',
    delayedStatuses: ['Delayed', 'Queued'],
    orderId: null,
    orderIdExample: '{ json: Content, path: "$.Value.OrderNo" }',
    messageId: { json: 'Content', path: '$.Headers."cap-msg-id"' },
    createdAt: 'Added',
    eventType: 'Name',
    attempts: 'Retries',
    payload: { json: 'Content', path: '$.Value' },
    markPublished: (n) =>
      n.statusColumn === null || n.doneStatuses[0] === undefined
        ? null
        : [{ column: n.statusColumn, value: { literal: n.doneStatuses[0] } }],
    // CAP's transport sends the Value as the body and the Headers as AMQP headers; its consumer finds the
    // subscriber by cap-msg-name (the topic, which is the routing key) and the message by cap-msg-id.
    headers: { json: 'Content', path: '$.Headers' },
    message: { idHeader: 'cap-msg-id', headers: (routingKey) => ({ 'cap-msg-name': routingKey }) },
  },
  // MassTransit deletes a row once its delivery service has sent it: a row that exists is not sent yet.
  masstransit: {
    ...none,
    table: 'OutboxMessage',
    pending: 'row-exists',
    orderId: { json: 'Body', path: '$.message.orderId' },
    messageId: { column: 'MessageId' },
    createdAt: 'SentTime',
    eventType: 'MessageType',
    payload: null,
    markPublished: null,
  },
  // Debezium's rows are deleted in the transaction that inserts them; the connector reads them from the WAL.
  debezium: {
    ...none,
    table: 'outboxevent',
    pending: 'replication-slot',
    orderId: { column: 'aggregateid' },
    messageId: { column: 'id' },
    createdAt: null,
    eventType: 'type',
    payload: { column: 'payload' },
    markPublished: null,
  },
};

export const INBOX_PRESET_NAMES: Record<
  InboxPreset,
  { table: string; messageId: ValueSource; filter: string | null; processedAt: string | null }
> = {
  table: {
    table: 'processed_messages',
    messageId: { column: 'message_id' },
    filter: null,
    processedAt: 'processed_at',
  },
  cap: {
    table: 'cap.received',
    messageId: { json: 'Content', path: '$.Headers."cap-msg-id"' },
    filter: `"StatusName" = 'Succeeded'`,
    processedAt: 'Added',
  },
  masstransit: {
    table: 'InboxState',
    messageId: { column: 'MessageId' },
    filter: `"Consumed" IS NOT NULL`,
    processedAt: 'Consumed',
  },
};
