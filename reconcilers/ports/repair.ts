// What a repair may touch, through ports (DESIGN: Actions). The adapters in server/ implement them.

export interface OutgoingMessage {
  exchange: string;
  routingKey: string;
  body: Buffer;
  messageId: string;
  contentType: string | null;
  headers: Record<string, unknown>;
  /** AMQP properties to keep from the original message (type, correlation id, …); never delivery mode. */
  properties?: Record<string, unknown>;
}

/** A publish on a confirm channel with `mandatory`, persistent. */
export type PublishResult =
  | { status: 'confirmed' }
  | { status: 'returned'; detail: string }
  | { status: 'nacked'; detail: string }
  | { status: 'in-doubt'; detail: string };

export interface PublisherPort {
  publish(message: OutgoingMessage): Promise<PublishResult>;
}

/** An order as a repair needs it: that it exists, its status, and the message a redelivery of it sends. */
export interface OrderRecord {
  id: string;
  status: string | null;
  /**
   * The order's message as the configured template builds it from the row, as JSON text (the adapter writes each
   * column's value in its own JSON type, a 19-digit integer exactly); null when none is configured.
   */
  messageBody: string | null;
}

/** An order a dispatch's snapshot describes, as the configured mapping writes it (what make-up-order inserts). */
export interface MadeUpOrder {
  id: string;
  /** Column → value, in the adapter's terms; the domain only passes it from one port call to the next. */
  columns: Readonly<Record<string, unknown>>;
}

/** An outbox row as republish needs it. */
export interface OutboxRecord {
  messageId: string;
  orderId: string | null;
  isPublished: boolean;
  /** The message body as the library would publish it; null when the configuration names no payload. */
  body: Buffer | null;
  /** The headers the library publishes the row with (CAP's cap-msg-name, cap-msg-id, …); empty when it keeps none. */
  headers: Record<string, unknown>;
}

export interface LiveDispatch {
  id: string;
  orderId: string;
  createdAt: Date;
  /** The order as the dispatch service received it (the message body): what make-up-order restores. */
  orderSnapshot: unknown;
}

export interface OrdersRepairPort {
  getOrder(orderId: string): Promise<OrderRecord | null>;
  getOutbox(messageId: string): Promise<OutboxRecord | null>;
  /** The latest outbox message id for an order, to name it in a redelivered message's header. */
  latestMessageIdFor(orderId: string): Promise<string | null>;
  /** The order a dispatch's snapshot describes, or why it does not describe one (a field missing, another order). */
  orderFromSnapshot(orderId: string, snapshot: unknown): { order: MadeUpOrder } | { problem: string };
  /** INSERT … ON CONFLICT DO NOTHING, with Recon's status: true when this call created the order. */
  insertOrder(order: MadeUpOrder): Promise<boolean>;
  /** Marks the row published as its library does, unless it already is: true when this call did. */
  markOutboxPublished(messageId: string): Promise<boolean>;
}

export interface DispatchRepairPort {
  liveDispatches(orderId: string): Promise<LiveDispatch[]>;
  /** Conditional: only rows still live are cancelled. Returns how many this call cancelled. */
  cancelDispatches(orderId: string, dispatchIds: readonly string[]): Promise<number>;
  /** Whether the consumer's inbox holds this message id (its effect committed), or null without an inbox. */
  isProcessed(messageId: string): Promise<boolean | null>;
}

/** A dead letter in Recon's custody, whole, as a redrive needs it. */
export interface StoredLetter {
  id: string;
  /** The dead-letter queue it was taken from: its style says where a redrive may go. */
  queue: string;
  state: 'stored' | 'redriven' | 'discarded' | 'consistent';
  messageId: string | null;
  body: Buffer;
  bodyTruncated: boolean;
  contentType: string | null;
  properties: Record<string, unknown>;
  headers: Record<string, unknown>;
  originExchange: string | null;
  originRoutingKeys: readonly string[];
  orderId: string | null;
}

export interface DeadLettersRepairPort {
  get(id: string): Promise<StoredLetter | null>;
  /** Conditional on the letter still being `stored`: true when this call settled it. */
  settle(id: string, state: 'redriven' | 'discarded' | 'consistent', reason: string): Promise<boolean>;
}

export interface RepairPorts {
  orders: OrdersRepairPort;
  dispatch: DispatchRepairPort;
  deadLetters: DeadLettersRepairPort;
  publisher: PublisherPort;
  /**
   * Where the flow's message goes (the configured exchange and routing key): redeliver and republish send there,
   * with the headers its consumer reads (fixed ones, and the message id in `messageIdHeader` when it has one).
   */
  messageRoute: {
    exchange: string;
    routingKey: string;
    headers: Record<string, string>;
    messageIdHeader: string | null;
    /**
     * Wraps a body redeliver built in the envelope the flow's consumer expects (MassTransit's), with its content
     * type; absent: the body goes as it is, `application/json`.
     */
    encode?: (body: string, messageId: string) => { body: string; contentType: string };
  };
  /** Status a made-up order gets, so a retry can tell its own insert from someone else's. */
  madeUpStatus: string;
  /** A dead letter redriven this many times is refused. */
  maxReplays: number;
  /** The watched dead-letter queues: a letter's queue style says where a redrive may go (redrive-destination.ts). */
  deadLetterQueues: ReadonlyArray<{ queue: string; style: 'dead-letter-exchange' | 'masstransit' }>;
}
