import { constants, createGzip, type Gzip } from 'node:zlib';

// A server-sent-events body, gzipped when the client accepts it. Each overview event is ~40 KB of JSON that repeats
// every few seconds for as long as a dashboard is open; gzip makes it ~10x smaller. The encoder is flushed after
// every event (Z_SYNC_FLUSH), so an event never waits in it for the next one: the page gets it at once.

export interface EventSink {
  /** Sends one event; false when the client has gone, or is not reading (a stalled page skips a snapshot). */
  send(event: { event: string; data: string; id: string }): boolean;
  /** Resolves when the client goes away or the stream is closed. */
  readonly closed: AbortSignal;
  close(): void;
}

export function createEventStream(acceptEncoding: string | undefined): {
  body: ReadableStream<Uint8Array>;
  headers: Record<string, string>;
  sink: EventSink;
} {
  const isGzip = /\bgzip\b/i.test(acceptEncoding ?? '');
  /** Aborted when the stream ends, either way: the client went away, or this side closed it. */
  const closed = new AbortController();
  let isClientGone = false;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let gzip: Gzip | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      if (!isGzip) return;
      gzip = createGzip();
      gzip.on('data', (chunk: Buffer) => !isClientGone && controller.enqueue(new Uint8Array(chunk)));
      // The gzip trailer comes after end(): the body closes once it is out.
      gzip.on('end', () => !isClientGone && controller.close());
    },
    cancel() {
      isClientGone = true;
      closed.abort();
      gzip?.destroy();
    },
  });
  const encoder = new TextEncoder();
  const sink: EventSink = {
    closed: closed.signal,
    send({ event, data, id }) {
      if (closed.signal.aborted) return false;
      // A page that stopped reading gets no pile of stale snapshots: the next event it can take is the current one.
      if ((controller.desiredSize ?? 1) <= 0) return true;
      const lines = data.split('\n').map((line) => `data: ${line}\n`);
      const text = `event: ${event}\n${lines.join('')}id: ${id}\n\n`;
      if (gzip) {
        gzip.write(text);
        gzip.flush(constants.Z_SYNC_FLUSH);
      } else controller.enqueue(encoder.encode(text));
      return true;
    },
    close() {
      if (closed.signal.aborted) return;
      closed.abort();
      if (gzip) gzip.end();
      else controller.close();
    },
  };
  const headers: Record<string, string> = {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    vary: 'Accept-Encoding',
    ...(isGzip ? { 'content-encoding': 'gzip' } : {}),
  };
  return { body, headers, sink };
}
