import { probeAmqp } from '../adapters/amqp-probe.ts';
import { createManagementHttp, type ManagementHttp } from '../adapters/management-http.ts';
import { maskSecrets } from '../adapters/postgres.ts';
import type { WatchedSystem } from '../watched-system/model.ts';
import { HOW_TO_START } from './database-check.ts';
import type { CheckItem } from './report.ts';

// The broker's side, cheaply: one AMQP connection opened and closed (the URL Recon publishes and takes dead letters
// on), and a few GETs of the management API (the URL Recon polls): the vhost, the exchange repairs publish to, the
// watched and dead-letter queues. Nothing is declared, consumed or published.

const TIMEOUT_MS = 5_000;

const item = (
  status: CheckItem['status'],
  kind: CheckItem['kind'],
  name: string,
  configPaths: string[],
  detail: string,
) => ({ section: 'broker', kind, status, name, configPaths, detail }) satisfies CheckItem;

export async function checkBroker(system: WatchedSystem): Promise<CheckItem[]> {
  const { broker, flow } = system;
  const vhost = decodeURIComponent(new URL(broker.url).pathname.slice(1)) || '/';
  const http = createManagementHttp({ url: broker.management, timeoutMs: TIMEOUT_MS });
  try {
    const [amqp, management] = await Promise.all([checkAmqp(broker.url), checkManagement(http, broker.management)]);
    if (management.status !== 'ok') {
      const notChecked = `not checked: the management API does not answer`;
      return [amqp, management, item('info', 'vhost', vhost, ['broker.url'], notChecked)];
    }
    const vhostItem = await checkVhost(http, vhost);
    if (vhostItem.status !== 'ok') return [amqp, management, vhostItem];
    return [
      amqp,
      management,
      vhostItem,
      await checkExchange(http, vhost, flow.message.exchange),
      ...(await checkQueues(http, vhost, system)),
    ];
  } finally {
    await http.close();
  }
}

async function checkAmqp(url: string): Promise<CheckItem> {
  const where = maskSecrets(url);
  try {
    const server = await probeAmqp(url, TIMEOUT_MS);
    return item('ok', 'broker', 'AMQP', ['broker.url'], `${where}: ${server || 'connected'}`);
  } catch (error) {
    const said = (error as Error).message || String(error);
    const hint = /ACCESS.REFUSED|NOT.ALLOWED|vhost/i.test(said)
      ? 'check the user, password and vhost in the URL'
      : `start RabbitMQ, or correct the URL; ${HOW_TO_START}`;
    return item('error', 'broker', 'AMQP', ['broker.url'], `${where}: cannot connect (${said}): ${hint}`);
  }
}

async function checkManagement(http: ManagementHttp, url: string): Promise<CheckItem> {
  const where = maskSecrets(url);
  try {
    const overview = (await http.get('/api/overview', { columns: 'rabbitmq_version,cluster_name' })) as Record<
      string,
      unknown
    >;
    const detail = `${where}: RabbitMQ ${overview.rabbitmq_version ?? '(version not said)'}, cluster ${overview.cluster_name ?? '?'}`;
    return item('ok', 'broker', 'management API', ['broker.management'], detail);
  } catch (error) {
    const said = `${(error as Error).message}${(error as Error).cause ? ` (${((error as Error).cause as Error).message})` : ''}`;
    const hint = / 401\b/.test(said)
      ? 'check the user and password in the URL'
      : `start RabbitMQ with the management plugin (rabbitmq-plugins enable rabbitmq_management), or correct the URL; ${HOW_TO_START}`;
    return item(
      'error',
      'broker',
      'management API',
      ['broker.management'],
      `${where}: cannot be read (${said}): ${hint}`,
    );
  }
}

async function checkVhost(http: ManagementHttp, vhost: string): Promise<CheckItem> {
  const found = await http.find(`/api/vhosts/${enc(vhost)}`, { columns: 'name' });
  return found
    ? item('ok', 'vhost', vhost, ['broker.url'], "the broker URL's vhost exists")
    : item('missing', 'vhost', vhost, ['broker.url'], `vhost ${vhost} (the broker URL's path) does not exist`);
}

async function checkExchange(http: ManagementHttp, vhost: string, exchange: string): Promise<CheckItem> {
  const configPaths = ['flows[0].message.exchange'];
  if (exchange === '') return item('ok', 'exchange', '(default)', configPaths, 'the default exchange always exists');
  const found = await http.find(`/api/exchanges/${enc(vhost)}/${enc(exchange)}`, { columns: 'name,type,durable' });
  return found
    ? item('ok', 'exchange', exchange, configPaths, `${found.type} exchange${found.durable ? ', durable' : ''}`)
    : item(
        'missing',
        'exchange',
        exchange,
        configPaths,
        `exchange ${exchange} does not exist in vhost ${vhost}: redeliver and republish publish to it, and would fail (NOT_FOUND)`,
      );
}

async function checkQueues(http: ManagementHttp, vhost: string, system: WatchedSystem): Promise<CheckItem[]> {
  const queues = new Map<string, string[]>();
  const add = (queue: string, path: string) => queues.set(queue, [...(queues.get(queue) ?? []), path]);
  for (const [i, queue] of system.broker.watchedQueues.entries()) add(queue, `broker.watchedQueues[${i}]`);
  for (const [i, dlq] of system.flow.deadLetterQueues.entries())
    add(dlq.queue, `flows[0].deadLetterQueues[${i}].queue`);
  return Promise.all(
    [...queues].map(async ([queue, configPaths]) => {
      const found = await http.find(`/api/queues/${enc(vhost)}/${enc(queue)}`, {
        columns: 'name,type,messages,consumers',
      });
      return found
        ? item(
            'ok',
            'queue',
            queue,
            configPaths,
            `${found.type} queue, ${found.messages ?? 0} messages, ${found.consumers ?? 0} consumers`,
          )
        : item(
            'warn',
            'queue',
            queue,
            configPaths,
            `queue ${queue} is not declared in vhost ${vhost}: Recon shows nothing for it until it is (a typo, or the service that declares it has not started)`,
          );
    }),
  );
}

const enc = encodeURIComponent;
