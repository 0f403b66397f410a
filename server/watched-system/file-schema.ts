import { z } from 'zod';
import { BAD_ESCAPE_MESSAGE, hasValidEscapes } from '../url-escapes.ts';
import { inboxSchema, outboxSchema } from './file-schema-outbox.ts';
import { databaseName, identifier, jsonPath, optionalColumn, sqlCondition, statusValue } from './file-values.ts';

// The watched-system file (DESIGN: "The watched-system file"). Its key names are a contract: tests outside the
// project write such files, so keys are added, never renamed. Every object is strict (an unknown key is an error,
// never ignored). Defaults are not here: which apply depends on the flow (the reference system's names only where
// its table is the reference system's; a preset's names for an outbox), so the resolve-*.ts files fill them in.

const isUrlOf = (protocols: string[]) => (text: string) =>
  URL.canParse(text) && protocols.includes(new URL(text).protocol);
/** A URL of one of `protocols` whose escapes the driver can decode (the message never quotes the URL). */
const urlOf = (protocols: string[], message: string) =>
  z.string().refine(isUrlOf(protocols), message).refine(hasValidEscapes, BAD_ESCAPE_MESSAGE);

// Intl accepts any IANA name (case-insensitively, as PostgreSQL does). A bare offset is refused: PostgreSQL reads
// "+08:00" the POSIX way, eight hours west, where everyone else reads it east.
const isTimeZone = (zone: string) => {
  if (!/^[A-Za-z]/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const databaseSchema = z.strictObject({
  url: urlOf(['postgres:', 'postgresql:'], 'expected a postgres:// or postgresql:// URL'),
  timeZone: z
    .string()
    .refine(isTimeZone, 'expected an IANA time zone, e.g. Asia/Shanghai or UTC')
    .optional()
    .meta({ description: 'How `timestamp without time zone` columns are read; default UTC' }),
});

const brokerSchema = z.strictObject({
  url: urlOf(['amqp:', 'amqps:'], 'expected an amqp:// or amqps:// URL'),
  management: urlOf(['http:', 'https:'], 'expected an http:// or https:// URL'),
  watchedQueues: z.array(z.string().min(1, 'must not be empty')).optional(),
});

const snapshotSchema = z.strictObject({
  orderIdPath: jsonPath,
  createdAtPath: jsonPath,
  columns: z.record(identifier, jsonPath).meta({ description: 'order column: JSON path in the order snapshot' }),
});

const orderSchema = z.strictObject({
  database: databaseName.optional(),
  table: identifier.optional(),
  id: identifier.optional(),
  createdAt: identifier.optional(),
  updatedAt: optionalColumn.meta({ description: 'null: changes are seen by the full sweep only' }),
  status: optionalColumn,
  needsDispatch: sqlCondition.nullable().optional(),
  snapshot: snapshotSchema.nullable().optional().meta({ description: 'How make-up-order rebuilds an order' }),
  madeUpStatus: z.string().min(1, 'must not be empty').optional(),
});

const messageSchema = z.strictObject({
  exchange: z.string().optional(),
  routingKey: z.string().optional(),
  orderIdPath: jsonPath.optional().meta({ description: 'Where a message body holds the order id' }),
  body: z
    .record(z.string().min(1), identifier)
    .nullable()
    .optional()
    .meta({ description: 'JSON field: order column, how redeliver builds a body; null: no redeliver' }),
  headers: z
    .record(z.string().min(1), z.string())
    .optional()
    .meta({ description: 'Headers on every message Recon publishes (redeliver, republish), e.g. cap-msg-name' }),
  messageIdHeader: z
    .string()
    .min(1, 'must not be empty')
    .nullable()
    .optional()
    .meta({ description: 'The header that carries the message id (cap-msg-id); null: the AMQP property alone' }),
  envelope: z
    .strictObject({
      style: z.literal('masstransit'),
      messageType: z
        .string()
        .regex(/^urn:message:\S+$/, 'expected a message type URN, e.g. urn:message:Shop:OrderSubmitted'),
    })
    .nullable()
    .optional()
    .meta({ description: "Wrap a body redeliver builds in a library's envelope; null: plain JSON" }),
});

const dispatchSchema = z.strictObject({
  database: databaseName.optional(),
  table: identifier.optional(),
  id: identifier.optional(),
  orderId: identifier.optional(),
  messageId: optionalColumn,
  status: optionalColumn,
  cancelledStatuses: z.array(statusValue).optional(),
  createdAt: identifier.optional(),
  updatedAt: optionalColumn,
  orderSnapshot: optionalColumn.meta({ description: 'null: make-up-order is not offered' }),
  courier: optionalColumn,
});

const deadLetterQueueSchema = z.strictObject({
  queue: z.string().min(1, 'must not be empty'),
  style: z.enum(['dead-letter-exchange', 'masstransit']).optional(),
});

const flowSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9-]+$/, 'expected lower-case letters, digits and dashes ([a-z0-9-]+)')
    .optional(),
  order: orderSchema.optional(),
  outbox: outboxSchema.nullable().optional(),
  message: messageSchema.optional(),
  dispatch: dispatchSchema.optional(),
  inbox: inboxSchema.nullable().optional(),
  deadLetterQueues: z.array(deadLetterQueueSchema).optional(),
});

export const watchedSystemFileSchema = z
  .strictObject({
    databases: z
      .record(databaseName, databaseSchema)
      .refine((databases) => Object.keys(databases).length > 0, 'name at least one database'),
    broker: brokerSchema,
    // Checked even when a flow has problems of its own, so both are reported in one run.
    flows: z
      .array(flowSchema)
      .refine((flows) => flows.length === 1, {
        error: (issue) => `this version watches exactly one flow; got ${(issue.input as unknown[]).length}`,
        when: () => true,
      })
      .meta({ minItems: 1, maxItems: 1 }),
  })
  .meta({
    title: 'Recon watched-system file',
    description: 'Which databases, tables, messages and queues Recon watches',
  });

export type WatchedSystemFile = z.infer<typeof watchedSystemFileSchema>;
export type FlowFile = z.infer<typeof flowSchema>;
export type OrderFile = z.infer<typeof orderSchema>;
export type DispatchFile = z.infer<typeof dispatchSchema>;
export type MessageFile = z.infer<typeof messageSchema>;
