import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { DISPATCH_DELIVERY_LIMIT, DISPATCH_QUEUE, ORDER_CREATED, ORDERS_EXCHANGE } from '../../demo/names.ts';

export interface RedriveVhost {
  /** The broker's AMQP URL with this vhost as its path. */
  amqpUrl: string;
  /** Setup and read-back traffic; never the contestants' connection. */
  connection: ChannelModel;
  channel: Channel;
  rabbitmqVersion: string;
  /** Deletes and declares the queue again, so each contestant starts from an empty queue with a fresh log. */
  recreateQueue(): Promise<void>;
  close(options: { keep: boolean }): Promise<void>;
}

/**
 * A vhost of its own with the reference system's shape: the durable topic exchange `orders` and the quorum queue
 * `dispatch.order-created` bound on `order.created` — where a redriven dead letter goes back to. No consumer.
 */
export async function openRedriveVhost(input: { brokerUrl: string; managementUrl: string; vhost: string }) {
  const manage = createManagementCall(input.managementUrl);
  const vhostPath = `/${encodeURIComponent(input.vhost)}`;
  await manage('PUT', `/api/vhosts${vhostPath}`);
  await manage('PUT', `/api/permissions${vhostPath}/${encodeURIComponent(manage.user)}`, {
    configure: '.*',
    write: '.*',
    read: '.*',
  });
  const { rabbitmq_version } = (await manage('GET', '/api/overview?columns=rabbitmq_version')) as {
    rabbitmq_version: string;
  };
  const url = new URL(input.brokerUrl);
  url.pathname = vhostPath;
  const connection = await amqp.connect(url.toString(), { clientProperties: { connection_name: 'bench-redrive' } });
  const channel = await connection.createChannel();
  await channel.assertExchange(ORDERS_EXCHANGE, 'topic', { durable: true });
  const recreateQueue = async () => {
    await channel.deleteQueue(DISPATCH_QUEUE);
    await channel.assertQueue(DISPATCH_QUEUE, {
      durable: true,
      arguments: { 'x-queue-type': 'quorum', 'x-delivery-limit': DISPATCH_DELIVERY_LIMIT },
    });
    await channel.bindQueue(DISPATCH_QUEUE, ORDERS_EXCHANGE, ORDER_CREATED);
  };
  await recreateQueue();
  return {
    amqpUrl: url.toString(),
    connection,
    channel,
    rabbitmqVersion: rabbitmq_version,
    recreateQueue,
    async close({ keep }) {
      await connection.close().catch(() => {});
      if (!keep) await manage('DELETE', `/api/vhosts${vhostPath}`);
    },
  } satisfies RedriveVhost;
}

/** The few management calls setup needs; Recon's own management adapter is read-only by design. */
function createManagementCall(managementUrl: string) {
  const base = new URL(managementUrl);
  const user = decodeURIComponent(base.username) || 'guest';
  const authorization = `Basic ${Buffer.from(`${user}:${decodeURIComponent(base.password)}`).toString('base64')}`;
  const origin = base.origin + base.pathname.replace(/\/$/, '');
  const call = async (method: 'GET' | 'PUT' | 'DELETE', path: string, body: unknown = {}) => {
    let response: Response;
    try {
      response = await fetch(`${origin}${path}`, {
        method,
        headers: { authorization, 'content-type': 'application/json' },
        ...(method === 'PUT' ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (cause) {
      throw new Error(
        `${method} ${path}: management API at ${base.host} unreachable; start it: bash scripts/services.sh`,
        {
          cause,
        },
      );
    }
    if (!response.ok)
      throw new Error(`${method} ${path} → ${response.status} ${(await response.text()).slice(0, 200)}`);
    const text = await response.text();
    return text ? (JSON.parse(text) as unknown) : undefined;
  };
  return Object.assign(call, { user });
}
