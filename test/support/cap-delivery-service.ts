import amqp from 'amqplib';
import type pg from 'pg';
import { CAP_ZONE, capContent, GROUP, TOPIC } from './cap-system.ts';

export interface HandledMessage {
  headers: Record<string, string | null>;
  body: string;
  outcome: 'delivered' | 'failed';
}

/**
 * The delivery service as CAP runs its subscriber `[CapSubscribe("order.created", Group = "delivery")]` with a
 * `long OrderNo` in its OrderCreated: CAP takes the headers from the AMQP headers and adds its group; it finds the
 * subscriber by the `cap-msg-name` header; System.Text.Json reads the long only from a JSON number. A message it
 * cannot handle is stored in "cap"."received" as Failed, with a `cap-exception` header, and acked (CAP's
 * IConsumerRegister); one it can becomes a delivery and a Succeeded received row, in one transaction.
 */
export async function startCapDeliveryService(url: string, dispatch: pg.Pool) {
  const connection = await amqp.connect(url);
  const channel = await connection.createChannel();
  await channel.prefetch(1);
  const handled: HandledMessage[] = [];
  let nextId = 1_793_000_000_000_000_000n;
  const receive = (db: pg.Pool | pg.PoolClient, headers: Record<string, string | null>, body: string, status: string) =>
    db.query(
      `INSERT INTO "cap"."received" ("Id", "Version", "Name", "Group", "Content", "Retries", "Added", "ExpiresAt", "StatusName")
       VALUES ($1, 'v1', $2, $3, $4, 0, now() AT TIME ZONE '${CAP_ZONE}', NULL, $5)`,
      [String(nextId++), headers['cap-msg-name'] ?? '', GROUP, capContent(headers, body), status],
    );
  const { consumerTag } = await channel.consume(GROUP, (message) => {
    if (!message) return;
    void (async () => {
      const headers: Record<string, string | null> = {};
      for (const [key, value] of Object.entries(message.properties.headers ?? {}))
        headers[key] = Buffer.isBuffer(value) ? value.toString('utf8') : value == null ? null : String(value);
      headers['cap-msg-group'] = GROUP;
      const body = message.content.toString('utf8');
      const orderNo = headers['cap-msg-name'] === TOPIC ? longAt(body, 'OrderNo') : null;
      if (orderNo === null) {
        headers['cap-exception'] = 'SubscriberNotFoundException or JsonException: cannot handle this message';
        await receive(dispatch, headers, JSON.stringify(body), 'Failed');
        handled.push({ headers, body, outcome: 'failed' });
      } else {
        const client = await dispatch.connect();
        try {
          await client.query('BEGIN');
          await client.query(
            `INSERT INTO deliveries (order_ref, state, courier) VALUES ($1, 'ASSIGNED', 'courier-7')`,
            [orderNo],
          );
          await receive(client, headers, body, 'Succeeded');
          await client.query('COMMIT');
        } finally {
          client.release();
        }
        handled.push({ headers, body, outcome: 'delivered' });
      }
      channel.ack(message);
    })();
  });
  return {
    handled,
    async stop() {
      await channel.cancel(consumerTag);
      await connection.close();
    },
  };
}

/** A top-level field holding a JSON integer (not a string of digits), as System.Text.Json binds a long. */
function longAt(body: string, field: string): string | null {
  try {
    JSON.parse(body);
  } catch {
    return null;
  }
  return new RegExp(`"${field}"\\s*:\\s*(-?\\d+)\\s*[,}]`).exec(body)?.[1] ?? null;
}
