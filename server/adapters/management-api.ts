import { Agent, request } from 'undici';
import type { ManagementPort } from '../../reconcilers/broker-types.ts';
import { toChannelStats, toConsumerInfo, toOverview, toQueueStats } from './management-mapping.ts';

// The broker's management HTTP API (plugin rabbitmq_management), read-only. Checked against RabbitMQ 3.10:
// - a list pages only when `page` is given (`pagination=true` alone is ignored); a vhost's channels and consumers
//   never page on 3.10 and come back as a plain array, so both reply shapes are read;
// - `columns=` is honoured two levels deep (`message_stats.ack_details`, not `...ack_details.rate`);
// - `disable_stats=true&enable_queue_totals=true` asks every queue process of the vhost for its counts: one hung
//   queue hangs the whole listing, and it has no consumers or ack counters anyway. The statistics listing reads the
//   broker's statistics tables instead, and with a server-side name filter and `columns` it stays small at
//   thousands of queues.

const PAGE_SIZE = 500;
const QUEUE_COLUMNS = ['name', 'messages', 'messages_ready', 'messages_unacknowledged', 'consumers'].concat(
  ['publish', 'deliver', 'redeliver', 'ack'].flatMap((k) => [`message_stats.${k}`, `message_stats.${k}_details`]),
);
const CHANNEL_COLUMNS = ['name', 'confirm', 'messages_unconfirmed', 'messages_unacknowledged', 'consumer_count']
  .concat(['connection_details', 'message_stats.publish', 'message_stats.confirm', 'message_stats.ack'])
  .join(',');
const CONSUMER_COLUMNS =
  'consumer_tag,queue.name,channel_details.name,channel_details.connection_name,ack_required,prefetch_count,active';

type Raw = Record<string, unknown>;
interface Paged {
  items: Raw[];
  page: number;
  page_count: number;
}

export interface ManagementApi extends ManagementPort {
  close(): Promise<void>;
}

/** `url` carries the credentials (Basic auth); they go into a header and never into a message or a log line. */
export function createManagementApi({ url, timeoutMs }: { url: string; timeoutMs: number }): ManagementApi {
  const base = new URL(url);
  const credentials = `${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`;
  const headers: Record<string, string> = base.username
    ? { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` }
    : {};
  const prefix = base.pathname.replace(/\/$/, ''); // the API may sit behind a proxy path
  const agent = new Agent({ connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });

  async function get(path: string, query: Record<string, string>): Promise<unknown> {
    const target = new URL(`${prefix}${path}?${new URLSearchParams(query)}`, base.origin);
    const signal = AbortSignal.timeout(timeoutMs);
    const failed = (cause: unknown) =>
      new Error(`GET ${path} failed${signal.aborted ? ` (no answer within ${timeoutMs} ms)` : ''}`, { cause });
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(target, { headers, dispatcher: agent, signal });
    } catch (error) {
      throw failed(error);
    }
    if (res.statusCode !== 200) {
      const reason = (await res.body.text().catch(() => '')).slice(0, 200);
      const hint = res.statusCode === 401 ? ' (check the credentials in RABBITMQ_MANAGEMENT_URL)' : '';
      throw new Error(`GET ${path} → ${res.statusCode}${hint} ${reason}`.trim());
    }
    try {
      return await res.body.json();
    } catch (error) {
      throw failed(error);
    }
  }

  /** Every page of a list; `isDone(items)` may stop early (lists sorted so that the rest is of no interest). */
  async function list(path: string, query: Record<string, string>, isDone = (_page: Raw[]) => false): Promise<Raw[]> {
    const items: Raw[] = [];
    for (let page = 1; ; page++) {
      const reply = await get(path, { ...query, pagination: 'true', page: String(page), page_size: String(PAGE_SIZE) });
      if (Array.isArray(reply)) return reply as Raw[];
      const paged = reply as Paged;
      items.push(...paged.items);
      if (page >= paged.page_count || paged.items.length === 0 || isDone(paged.items)) return items;
    }
  }

  const vhostPath = (vhost: string) => encodeURIComponent(vhost);

  return {
    async overview() {
      const raw = await get('/api/overview', { columns: 'rabbitmq_version,object_totals,queue_totals,message_stats' });
      return toOverview(raw as Raw);
    },
    async watchedQueues(vhost, names) {
      if (names.length === 0) return [];
      const wanted = new Set(names);
      const rows = await list(`/api/queues/${vhostPath(vhost)}`, {
        name: `^(${names.map(escapeRegex).join('|')})$`,
        use_regex: 'true',
        columns: QUEUE_COLUMNS.join(','),
      });
      // Filtered again here: a version that ignores the name filter must not leak other queues into labels.
      return rows.filter((r) => wanted.has(String(r.name))).map(toQueueStats);
    },
    async channels(vhost, { unconfirmedOnly = false } = {}) {
      // Most unconfirmed first, so that a paged reply can stop at the first channel with none.
      const holds = (r: Raw) => typeof r.messages_unconfirmed === 'number' && r.messages_unconfirmed > 0;
      const rows = await list(
        `/api/vhosts/${vhostPath(vhost)}/channels`,
        { columns: CHANNEL_COLUMNS, sort: 'messages_unconfirmed', sort_reverse: 'true' },
        (page) => unconfirmedOnly && !holds(page.at(-1)!),
      );
      return (unconfirmedOnly ? rows.filter(holds) : rows).map(toChannelStats);
    },
    async consumers(vhost) {
      return (await list(`/api/consumers/${vhostPath(vhost)}`, { columns: CONSUMER_COLUMNS })).map(toConsumerInfo);
    },
    close: () => agent.close(),
  };
}

/** Erlang's `re` is PCRE: queue names may hold `.`, `+`, `(` and the like, which must match literally. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
