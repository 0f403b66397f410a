import diagnostics from 'node:diagnostics_channel';
import type { Socket } from 'node:net';

// Bytes are counted inside undici, through its diagnostics channels, so that Recon's adapter runs unchanged (it
// builds its own Agent, which no wrapper could reach). Two measures:
// - each request's response body, chunk by chunk, after undici has removed the chunked framing;
// - the sockets' own byte counters (`bytesRead`/`bytesWritten`): everything on the wire, status lines, headers and
//   chunk framing included, for requests and responses.
// The channels are process-wide (Node's bundled fetch publishes on them too): measure one thing at a time.

export interface RequestBytes {
  method: string;
  /** Path and query, as sent. */
  path: string;
  status: number;
  bodyBytes: number;
  /** From the request's creation to the end of its response. */
  ms: number;
}

export interface WireTotals {
  requests: RequestBytes[];
  /** Bytes read from the sockets: every response's status line, headers, chunk framing and body. */
  bytesIn: number;
  /** Bytes written to the sockets: the requests, headers (Basic auth included). */
  bytesOut: number;
}

interface UndiciRequest {
  method: string;
  path: string;
}

export interface WireCounter {
  measure<T>(work: () => Promise<T>): Promise<{ value: T; wire: WireTotals }>;
  close(): void;
}

export function createWireCounter(): WireCounter {
  const sockets = new Set<Socket>();
  const entries = new WeakMap<object, RequestBytes & { startedAt: number }>();
  let window: RequestBytes[] | undefined;

  const handlers: Record<string, (message: unknown) => void> = {
    'undici:client:connected': (m) => sockets.add((m as { socket: Socket }).socket),
    'undici:request:create': (m) => {
      const request = (m as { request: UndiciRequest }).request;
      const entry = {
        method: request.method,
        path: request.path,
        status: 0,
        bodyBytes: 0,
        ms: 0,
        startedAt: performance.now(),
      };
      entries.set(request, entry);
      window?.push(entry);
    },
    'undici:request:headers': (m) => {
      const { request, response } = m as { request: object; response: { statusCode: number } };
      const entry = entries.get(request);
      if (entry) entry.status = response.statusCode;
    },
    'undici:request:bodyChunkReceived': (m) => {
      const { request, chunk } = m as { request: object; chunk: Uint8Array };
      const entry = entries.get(request);
      if (entry) entry.bodyBytes += chunk.byteLength;
    },
    'undici:request:trailers': (m) => {
      const entry = entries.get((m as { request: object }).request);
      if (entry) entry.ms = performance.now() - entry.startedAt;
    },
  };
  for (const [name, handler] of Object.entries(handlers)) diagnostics.subscribe(name, handler);

  // A socket keeps its counters after it closes, so a connection dropped mid-window still counts.
  const totals = () => {
    let bytesIn = 0;
    let bytesOut = 0;
    for (const socket of sockets) {
      bytesIn += socket.bytesRead;
      bytesOut += socket.bytesWritten;
    }
    return { bytesIn, bytesOut };
  };

  return {
    async measure(work) {
      if (window) throw new Error('one measurement at a time: the channels cannot tell two apart');
      const requests: RequestBytes[] = [];
      window = requests;
      const before = totals();
      try {
        const value = await work();
        const after = totals();
        return {
          value,
          wire: { requests, bytesIn: after.bytesIn - before.bytesIn, bytesOut: after.bytesOut - before.bytesOut },
        };
      } finally {
        window = undefined;
      }
    },
    close() {
      for (const [name, handler] of Object.entries(handlers)) diagnostics.unsubscribe(name, handler);
    },
  };
}
