import { z } from 'zod';
import { databaseName, identifier, optionalColumn, sqlCondition, statusValue, valueSource } from './file-values.ts';

// The producer's outbox and the consumer's inbox in the watched-system file. A preset fills the library's own
// names (presets.ts); every key given here overrides the preset's. The pending rule's keys choose the rule:
// `confirmedAt` (a column null until published), `statusColumn` + `doneStatuses` (a status not yet done), or
// `replicationSlot` / `maxLagBytes` (Debezium's connector lag).

export const OUTBOX_PRESETS = ['timestamps', 'spring-modulith', 'cap', 'masstransit', 'debezium'] as const;
export const INBOX_PRESETS = ['table', 'cap', 'masstransit'] as const;

export const outboxSchema = z.strictObject({
  preset: z.enum(OUTBOX_PRESETS).optional().meta({ description: 'Whose outbox table this is; default timestamps' }),
  database: databaseName.optional().meta({ description: "A key of databases; default: the order's database" }),
  table: identifier.optional(),
  filter: sqlCondition.nullable().optional(),
  orderId: valueSource.optional().meta({ description: '{ column: NAME } or { json: COLUMN, path: "$.field" }' }),
  messageId: valueSource.optional(),
  createdAt: optionalColumn,
  eventType: optionalColumn,
  publishedAt: optionalColumn,
  attempts: optionalColumn,
  lastError: optionalColumn,
  payload: valueSource.nullable().optional().meta({ description: 'The body republish sends; null: no republish' }),
  headers: valueSource
    .nullable()
    .optional()
    .meta({ description: 'Where a row keeps its message headers (a JSON object), sent on republish' }),
  confirmedAt: identifier.optional().meta({ description: 'Pending while this column is null' }),
  statusColumn: optionalColumn.meta({ description: 'The status column doneStatuses and failedStatuses read' }),
  doneStatuses: z
    .array(statusValue)
    .min(1)
    .optional()
    .meta({ description: 'Pending while the status is not one of these' }),
  failedStatuses: z.array(statusValue).nullable().optional().meta({ description: 'Stuck at once: failed for good' }),
  failedAfterAttempts: z.number().int().positive().nullable().optional().meta({
    description:
      'A row in a failedStatuses status is failed for good only once its attempts column reaches this (the library retries it until then); null: at once',
  }),
  delayedUntil: optionalColumn.meta({
    description: 'A delayed publish: the row is not due before this time, and its grace period counts from it',
  }),
  delayedStatuses: z.array(statusValue).min(1).nullable().optional().meta({
    description: 'Only rows in these statuses are delayed by delayedUntil (needs statusColumn); null: every row',
  }),
  replicationSlot: identifier
    .nullable()
    .optional()
    .meta({ description: "Debezium's slot; null: the database's only logical one" }),
  maxLagBytes: z.int().positive().optional().meta({ description: 'Debezium: slot lag beyond this is stuck' }),
  markPublished: z
    .record(identifier, statusValue)
    .nullable()
    .optional()
    .meta({ description: 'column: now | now-if-null | a value; written once a republish is confirmed' }),
});

export const inboxSchema = z.strictObject({
  preset: z.enum(INBOX_PRESETS).optional().meta({ description: 'Whose inbox table this is; default table' }),
  database: databaseName.optional().meta({ description: "A key of databases; default: the dispatch's database" }),
  table: identifier.optional(),
  messageId: valueSource.optional(),
  filter: sqlCondition.nullable().optional().meta({ description: 'The rows that mean "processed"' }),
  processedAt: optionalColumn.meta({ description: "When the consumer processed a message (the order's timeline)" }),
});

export type OutboxFile = z.infer<typeof outboxSchema>;
export type InboxFile = z.infer<typeof inboxSchema>;
