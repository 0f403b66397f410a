// The watched system, resolved: what Recon reads and writes in someone else's databases and broker, with every
// preset applied and every default filled in. The YAML file (DESIGN: "The watched-system file"), the deprecated
// RECON_MAPPING and the reference system's defaults all become this; the adapters read nothing else. Identifiers
// are as written (adapters quote them; case-sensitive, `schema.table` allowed). `null` means "this system has no
// such column": the features that need it are off, and `features` says so.

export interface WatchedSystem {
  /** Named PostgreSQL sources. */
  databases: Record<string, DatabaseSource>;
  broker: {
    url: string;
    management: string;
    /** Queues whose depth, unacked count and consumers Recon polls (metric labels: keep it short). */
    watchedQueues: string[];
  };
  /** This version watches exactly one flow. */
  flow: Flow;
  /** Which features are on, and why one is off: logged at start, shown on /api/sources, printed by `recon check`. */
  features: FeatureNote[];
  /** Where this came from, for messages: the file's path, or 'defaults' / 'RECON_MAPPING'. */
  origin: string;
}

export interface DatabaseSource {
  url: string;
  /** How a `timestamp without time zone` column is read (an IANA zone); `timestamptz` needs none. Default UTC. */
  timeZone: string;
}

export interface FeatureNote {
  feature: string;
  isOn: boolean;
  /** Why it is off (or how it works, when it is on in a degraded way), naming the config path. */
  detail: string;
}

/** Where a value lives in a row: a column, or a JSON path inside a (json, jsonb or text) column. */
export type ValueSource = { column: string } | { json: string; path: string };

export interface Flow {
  /** [a-z0-9-]+ */
  name: string;
  order: OrderEntity;
  outbox: Outbox | null;
  message: MessageRoute;
  dispatch: DispatchEntity;
  inbox: Inbox | null;
  deadLetterQueues: DeadLetterQueue[];
}

export interface OrderEntity {
  database: string;
  table: string;
  /** uuid, bigint, integer or text: the type is read from the catalog. */
  id: string;
  createdAt: string;
  /** Null: changes are seen by the full sweep only. */
  updatedAt: string | null;
  status: string | null;
  /** A SQL boolean over the row: false for orders that need no dispatch (cancelled, picked up). Null: all do. */
  needsDispatch: string | null;
  /** How make-up-order rebuilds an order from a dispatch's order snapshot; null: make-up-order is not offered. */
  snapshot: OrderSnapshotMapping | null;
  /** The status an order Recon made up gets (null `status` column: none is written). */
  madeUpStatus: string;
}

/**
 * Each order column make-up-order writes, and where its value is in the dispatch's order snapshot (a JSON path).
 * The order's id and createdAt are always written: `createdAtPath` says where the snapshot holds the creation time.
 */
export interface OrderSnapshotMapping {
  createdAtPath: string;
  /** The snapshot's own order id, checked against the finding's before anything is written. */
  orderIdPath: string;
  columns: Record<string, string>;
}

export type OutboxPreset = 'timestamps' | 'spring-modulith' | 'cap' | 'masstransit' | 'debezium';

/** How an outbox tells "not yet published" (DESIGN's presets table). */
export type PendingRule =
  /** A completion or confirmation timestamp still null (the reference system's confirmed_at, Spring Modulith's). */
  | { kind: 'column-null'; column: string }
  /** A status column whose value is not one of `done` (CAP: "StatusName" <> 'Succeeded'). */
  | { kind: 'status-not-in'; column: string; done: Array<string | number> }
  /** MassTransit: a row is deleted once sent, so a row that exists is not sent yet. */
  | { kind: 'row-exists' }
  /**
   * Debezium: rows are deleted in the transaction that inserts them; what is not yet published is the lag of the
   * connector's replication slot (`slot` null: the only slot of the database).
   */
  | { kind: 'replication-slot'; slot: string | null; maxLagBytes: number };

export interface Outbox {
  preset: OutboxPreset;
  database: string;
  table: string;
  pending: PendingRule;
  /** Rows that failed for good (a FAILED status): stuck at once, without waiting out the grace period. Null: none. */
  failed: {
    column: string;
    values: Array<string | number>;
    /** With `attemptsColumn`: failed for good only at this many attempts; before, the library still retries it. */
    minAttempts: { attemptsColumn: string; count: number } | null;
  } | null;
  /**
   * A delayed publish (CAP's PublishDelayAsync): the row is not due before `column`, and its grace period counts
   * from then; `statuses`: only rows in these statuses of `statusColumn` are delayed (elsewhere the column means
   * something else). Null: no row is delayed.
   */
  delayed: { column: string; status: { column: string; values: Array<string | number> } | null } | null;
  /** A SQL boolean: the rows that are this flow's message (among other events and listeners). Null: every row. */
  filter: string | null;
  messageId: ValueSource;
  orderId: ValueSource;
  /** When the row was written; null (Debezium) when the table has no such column. */
  createdAt: string | null;
  eventType: string | null;
  publishedAt: string | null;
  attempts: string | null;
  lastError: string | null;
  /** The message body republish sends again; null: republish is not offered. */
  payload: ValueSource | null;
  /**
   * Where the row keeps the headers its library publishes it with (a JSON object: CAP's "Content" → Headers), which
   * republish sends as AMQP headers; null: the row keeps none.
   */
  headers: ValueSource | null;
  /**
   * How a republished row is marked published once the broker confirmed it (the column and the value the library
   * itself writes when it publishes); null: Recon marks nothing and republish is not offered.
   */
  markPublished: Array<{ column: string; value: MarkValue }> | null;
}

/** `now`: the time of the write; `now-if-null`: unless the column already holds a time; else a literal value. */
export type MarkValue = { now: true; onlyIfNull?: boolean } | { literal: string | number };

export interface MessageRoute {
  exchange: string;
  routingKey: string;
  /** JSON path of the order id in a message body (dead letters, redeliver). */
  orderIdPath: string;
  /**
   * How redeliver builds the message body from the order row: JSON field → order column. Null: redeliver is not
   * offered (nothing says what the consumer expects).
   */
  body: Record<string, string> | null;
  /**
   * Headers every message Recon publishes for this flow carries (redeliver, republish): what the consumer routes
   * by, such as CAP's `cap-msg-name`, which a CAP subscriber is found by.
   */
  headers: Record<string, string>;
  /**
   * The header a consumer reads the message id from (CAP's `cap-msg-id`), set to the id Recon publishes with, as
   * the AMQP message-id property is; null: the property alone.
   */
  messageIdHeader: string | null;
  /**
   * The envelope a library's consumer expects around a body Recon builds (redeliver): MassTransit's JSON envelope
   * names the consumer's message type. Null: the body is sent as plain JSON.
   */
  envelope: MessageEnvelope | null;
}

export interface MessageEnvelope {
  style: 'masstransit';
  /** The message type URN the consumer subscribes to, e.g. `urn:message:Shop.Contracts:OrderSubmitted`. */
  messageType: string;
}

export interface DispatchEntity {
  database: string;
  table: string;
  id: string;
  /** Compared with order.id across databases, in one canonical form, whatever the two columns' types. */
  orderId: string;
  messageId: string | null;
  status: string | null;
  /** Status values of a dispatch that no longer counts; cancel-dispatch writes the first. Empty: none. */
  cancelledStatuses: Array<string | number>;
  createdAt: string;
  /** Null: changes are seen by the full sweep only; cancel-dispatch writes no update time. */
  updatedAt: string | null;
  /** The order as the dispatch received it (json/jsonb); null: make-up-order is not offered. */
  orderSnapshot: string | null;
  /** Who rides for it, shown on the timeline; null: not shown. */
  courier: string | null;
}

export type InboxPreset = 'table' | 'cap' | 'masstransit';

/** The consumer's record of processed messages: how the sweeper tells that a redelivery took effect. */
export interface Inbox {
  preset: InboxPreset;
  database: string;
  table: string;
  messageId: ValueSource;
  /** A SQL boolean: the rows that mean "processed" (CAP's succeeded, MassTransit's consumed). Null: every row. */
  filter: string | null;
  /** When the consumer processed the message, for the order's timeline; null (or not in the table): not shown. */
  processedAt: string | null;
}

export interface DeadLetterQueue {
  queue: string;
  /** `dead-letter-exchange`: the broker's x-death; `masstransit`: a MassTransit `_error` queue (MT-Fault-* headers). */
  style: 'dead-letter-exchange' | 'masstransit';
}
