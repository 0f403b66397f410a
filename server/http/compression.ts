import type { Context, MiddlewareHandler } from 'hono';
import { COMPRESSIBLE_CONTENT_TYPE_REGEX, compress } from 'hono/compress';

/**
 * Gzip (or deflate) for the JSON API and /metrics, when the client accepts it. The UI's bundles are compressed at build
 * time instead (server/http/routes-ui.ts). Prometheus asks for gzip on every scrape (`enable_compression`, on by
 * default) and decodes it, as it does for node_exporter and client_golang, so /metrics is compressed too.
 * Not the live event stream: it gzips itself, flushing after every event (server/http/event-stream.ts), where this
 * middleware's encoder would hold each `overview` event until it had a block worth emitting.
 */
export function compressResponses(): MiddlewareHandler {
  const gzip = compress({
    contentTypeFilter: (type) => !type.startsWith('text/event-stream') && COMPRESSIBLE_CONTENT_TYPE_REGEX.test(type),
  });
  return (c, next) =>
    isCompressedPath(c.req.path)
      ? gzip(c, async () => {
          await next();
          await withContentLength(c);
        })
      : next();
}

const isCompressedPath = (path: string) => (path.startsWith('/api/') && path !== '/api/events') || path === '/metrics';

/**
 * c.json() sets no Content-Length, so compress()'s 1 KB threshold never applies and a 200-byte answer would grow
 * under gzip. A JSON body is already whole in memory: measuring it costs a copy, not a wait.
 */
async function withContentLength(c: Context) {
  const { res } = c;
  if (
    !res.body ||
    res.headers.has('Content-Length') ||
    !res.headers.get('Content-Type')?.startsWith('application/json')
  )
    return;
  const body = await res.arrayBuffer();
  c.res = new Response(body, res);
  c.res.headers.set('Content-Length', String(body.byteLength));
}
