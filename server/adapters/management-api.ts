import { mapLimit } from '../../reconcilers/engine/async.ts';
import type { ManagementPort } from '../../reconcilers/ports/broker.ts';
import { createManagementHttp, type Query } from './management-http.ts';
import { toChannelStats, toConsumerInfo, toOverview, toQueueStats } from './management-mapping.ts';

// The broker's management HTTP API (plugin rabbitmq_management), read-only. Checked against RabbitMQ 3.10, where
// every queue listing, name-filtered or not, lists and sorts every queue of the vhost before filtering, so its cost
// grows with the vhost, while one queue by name costs the same whatever the vhost holds (BENCHMARKS.md, "Broker poll
// at 5,000 queues", measures both):
// - watched queues are read one by one (`GET /api/queues/{vhost}/{name}`, a 404 meaning "not declared"); only a
//   long list of names is read by one name-filtered listing instead;
// - consumers likewise, from their queue's `consumer_details`: `/api/consumers/{vhost}` returns every consumer of
//   the vhost, unpaged (megabytes at a consumer per queue, for the one Recon needs);
// - channels from the broker-wide `/api/channels`, which pages (a vhost's channel listing ignores paging on 3.10
//   and returns every channel), sorted so that the scan stops at the first channel holding nothing;
// - `columns=` is honoured two levels deep (`message_stats.ack_details`, not `...ack_details.rate`), three inside
//   a list (`consumer_details.channel_details.name`);
// - never `disable_stats=true&enable_queue_totals=true`: it asks every queue process for its counts (one hung queue
//   hangs the listing), has no consumer or ack counts, and costs twice the statistics listing. A queue by name is
//   read from the statistics tables and answers even while its process hangs.

const PAGE_SIZE = 500;
/**
 * Past this many watched names, read them by one name-filtered listing: that many reads by name cost the broker
 * about as much as one listing of a few thousand queues (small vhosts are cheap either way).
 */
const MAX_QUEUES_BY_NAME = 20;
/** Requests in flight at once for queues read by name. */
const CONCURRENCY = 4;
/** The unconfirmed scan's pages grow to this size, then stay (a power of two: see `holdingChannels`). */
const MAX_CHANNEL_PAGE = 256;
const COUNTER_COLUMNS = ['publish', 'deliver', 'redeliver', 'ack'].map(
  (k) => `message_stats.${k},message_stats.${k}_details`,
);
const QUEUE_COLUMNS = `name,messages,messages_ready,messages_unacknowledged,consumers,${COUNTER_COLUMNS.join(',')}`;
const CHANNEL_COLUMNS =
  'name,vhost,confirm,messages_unconfirmed,messages_unacknowledged,consumer_count,connection_details,' +
  'message_stats.publish,message_stats.confirm,message_stats.ack';
const CONSUMER_COLUMNS = ['consumer_tag', 'queue.name', 'channel_details.name', 'channel_details.connection_name']
  .concat(['ack_required', 'prefetch_count', 'active'])
  .map((c) => `consumer_details.${c}`)
  .join(',');

type Raw = Record<string, unknown>;

export interface ManagementApi extends ManagementPort {
  close(): Promise<void>;
}

export interface ManagementApiOptions {
  /** Carries the credentials (Basic auth); they go into a header and never into a message or a log line. */
  url: string;
  /** Per request; a poll's own deadline comes as a signal with each read. */
  timeoutMs: number;
  /** Up to this many watched queues are read by name, more by one listing; 0 always lists (for the benchmark). */
  maxQueuesByName?: number;
}

export function createManagementApi(options: ManagementApiOptions): ManagementApi {
  const http = createManagementHttp(options);
  const maxQueuesByName = options.maxQueuesByName ?? MAX_QUEUES_BY_NAME;

  /** Every page of a list (3.10 ignores paging for a vhost's channels: then the one reply is the list). */
  async function list(path: string, query: Query, signal?: AbortSignal) {
    const items: Raw[] = [];
    for (let number = 1; ; number++) {
      const page = await http.page(path, query, { number, size: PAGE_SIZE }, signal);
      items.push(...page.items);
      if (number >= page.pageCount || page.items.length === 0) return items;
    }
  }

  /** Each named queue's reply (columns as asked), or nothing for one that does not exist; the vhost must exist. */
  async function queuesByName(vhost: string, names: readonly string[], query: Query, signal?: AbortSignal) {
    const replies = await mapLimit(names, CONCURRENCY, (name) =>
      http.find(`/api/queues/${enc(vhost)}/${enc(name)}`, query, signal),
    );
    // A missing vhost answers 404 for every queue in it, as a missing queue does: that is a misconfiguration, not
    // "no watched queue declared yet", so ask (once, and only then).
    const isVhostMissing = async () => !(await http.find(`/api/vhosts/${enc(vhost)}`, { columns: 'name' }, signal));
    if (replies.every((r) => r === undefined) && (await isVhostMissing())) {
      throw new Error(`vhost ${JSON.stringify(vhost)} not found (GET /api/vhosts/${enc(vhost)} → 404)`);
    }
    return replies.filter((r): r is Raw => r !== undefined);
  }

  /**
   * Every channel on the broker holding unconfirmed publishes, most first, so that the scan stops at the first one
   * holding none: in a healthy broker, one request for one channel. Pages of 1, 1, 2, 4, … 256, 256, … rows: page 2
   * of size s holds rows [s, 2s), so they tile, and the scan reads at most about twice as many channels as hold.
   */
  async function holdingChannels(signal?: AbortSignal): Promise<Raw[]> {
    const holds = (r: Raw) => typeof r.messages_unconfirmed === 'number' && r.messages_unconfirmed > 0;
    const query = { columns: CHANNEL_COLUMNS, sort: 'messages_unconfirmed', sort_reverse: 'true' };
    const held = new Map<string, Raw>(); // by name: a channel may move between pages as its count changes
    for (let number = 1, size = 1; ; ) {
      const page = await http.page('/api/channels', query, { number, size }, signal);
      for (const row of page.items.filter(holds)) held.set(String(row.name), row);
      if (!page.items.every(holds) || number >= page.pageCount) return [...held.values()];
      if (number === 1) number = 2;
      else if (size < MAX_CHANNEL_PAGE) size *= 2;
      else number += 1;
    }
  }

  return {
    async overview({ signal } = {}) {
      const columns = 'rabbitmq_version,object_totals,statistics_db_event_queue';
      return toOverview((await http.get('/api/overview', { columns }, signal)) as Raw);
    },
    async watchedQueues(vhost, names, { signal } = {}) {
      if (names.length === 0) return [];
      if (names.length <= maxQueuesByName) {
        return (await queuesByName(vhost, names, { columns: QUEUE_COLUMNS }, signal)).map(toQueueStats);
      }
      const wanted = new Set(names);
      const rows = await list(
        `/api/queues/${enc(vhost)}`,
        { name: `^(${names.map(escapeRegex).join('|')})$`, use_regex: 'true', columns: QUEUE_COLUMNS },
        signal,
      );
      // Filtered again here: the broker matches the regex caselessly, and a version that ignores the filter must
      // not leak other queues into labels.
      return rows.filter((r) => wanted.has(String(r.name))).map(toQueueStats);
    },
    async channels(vhost, { unconfirmedOnly = false, signal } = {}) {
      const rows = unconfirmedOnly
        ? await holdingChannels(signal)
        : await list(`/api/vhosts/${enc(vhost)}/channels`, { columns: CHANNEL_COLUMNS }, signal);
      return rows.filter((r) => r.vhost === vhost).map(toChannelStats);
    },
    async consumers(vhost, queues, { signal } = {}) {
      if (queues.length === 0) return [];
      const replies = await queuesByName(vhost, queues, { columns: CONSUMER_COLUMNS }, signal);
      // A queue deleted since it was read has no consumers left to show. A reply without the field is the broker
      // not saying: then the consumers are unknown (not read), never "none".
      const lists = replies.map((r) => (Array.isArray(r.consumer_details) ? (r.consumer_details as Raw[]) : undefined));
      return lists.every((l) => l !== undefined) ? lists.flat().map(toConsumerInfo) : undefined;
    },
    close: () => http.close(),
  };
}

/** Erlang's `re` is PCRE: queue names may hold `.`, `+`, `(` and the like, which must match literally. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const enc = encodeURIComponent;
