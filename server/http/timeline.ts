// The input port for an order's timeline: the order, its outbox rows and its dispatches, read from the business
// databases by the host (server/main.ts wires an implementation). The HTTP layer only consumes it.

export interface TimelineRows {
  /** Null when the orders database has no such order (a dispatch without order looks exactly like this). */
  order: Record<string, unknown> | null;
  outbox: Record<string, unknown>[];
  dispatches: Record<string, unknown>[];
}

/** Names the sources that could not be read, so the UI says "unknown", never "absent". */
export interface TimelineUnavailable {
  unavailable: string[];
}

export interface TimelinePort {
  order(orderId: string): Promise<TimelineRows | TimelineUnavailable>;
}
