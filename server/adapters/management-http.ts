import { Agent, request } from 'undici';

// GETs against the management HTTP API: Basic auth from the URL, a timeout per request, and the caller's signal
// (the poll's deadline) on top; errors name the request and the status, never the credentials.

type Raw = Record<string, unknown>;
export type Query = Record<string, string>;

/** One page of a list, or the whole list when the broker ignored the paging (a plain array). */
export interface Page {
  items: Raw[];
  pageCount: number;
}

export interface ManagementHttp {
  /** The decoded JSON body; throws on any status but 200. */
  get(path: string, query: Query, signal?: AbortSignal): Promise<unknown>;
  /** As `get`, but a 404 is `undefined`: the object does not exist (or its vhost does not). */
  find(path: string, query: Query, signal?: AbortSignal): Promise<Raw | undefined>;
  page(path: string, query: Query, page: { number: number; size: number }, signal?: AbortSignal): Promise<Page>;
  close(): Promise<void>;
}

/** `url` carries the credentials (Basic auth); they go into a header and never into a message or a log line. */
export function createManagementHttp({ url, timeoutMs }: { url: string; timeoutMs: number }): ManagementHttp {
  const base = new URL(url);
  const credentials = `${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`;
  const headers: Record<string, string> = base.username
    ? { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` }
    : {};
  const prefix = base.pathname.replace(/\/$/, ''); // the API may sit behind a proxy path
  const agent = new Agent({ connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });

  /** `tolerate`: a 404 (`missing`) or a page past the list's end (`page`) is `undefined`, not an error. */
  async function send(path: string, query: Query, deadline: AbortSignal | undefined, tolerate?: 'missing' | 'page') {
    const target = new URL(`${prefix}${path}?${new URLSearchParams(query)}`, base.origin);
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = deadline ? AbortSignal.any([deadline, timeout]) : timeout;
    const failed = (cause: unknown) => {
      const why = deadline?.aborted
        ? ` (${(deadline.reason as Error | undefined)?.message ?? 'cancelled'})`
        : timeout.aborted
          ? ` (no answer within ${timeoutMs} ms)`
          : '';
      return new Error(`GET ${path} failed${why}`, { cause });
    };
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(target, { headers, dispatcher: agent, signal });
    } catch (error) {
      throw failed(error);
    }
    if (res.statusCode !== 200) {
      const text = await res.body.text().catch(() => '');
      if (res.statusCode === 404 && tolerate === 'missing') return undefined;
      // The list shrank between two pages (channels close all the time): there is nothing past its end.
      if (res.statusCode === 400 && tolerate === 'page' && text.includes('"page_out_of_range"')) return undefined;
      const hint = res.statusCode === 401 ? ' (check the credentials in RABBITMQ_MANAGEMENT_URL)' : '';
      throw new Error(`GET ${path} → ${res.statusCode}${hint} ${text.slice(0, 200)}`.trim());
    }
    try {
      return (await res.body.json()) as unknown;
    } catch (error) {
      throw failed(error);
    }
  }

  return {
    get: (path, query, signal) => send(path, query, signal),
    find: async (path, query, signal) => (await send(path, query, signal, 'missing')) as Raw | undefined,
    async page(path, query, { number, size }, signal) {
      const paging = { pagination: 'true', page: String(number), page_size: String(size) };
      const reply = await send(path, { ...query, ...paging }, signal, 'page');
      if (reply === undefined) return { items: [], pageCount: number - 1 };
      if (Array.isArray(reply)) return { items: reply as Raw[], pageCount: 1 };
      const paged = reply as { items: Raw[]; page_count: number };
      return { items: paged.items, pageCount: paged.page_count };
    },
    close: () => agent.close(),
  };
}
