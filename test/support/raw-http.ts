import { once } from 'node:events';
import { type IncomingHttpHeaders, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';

export interface WireResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as it crossed the socket, still encoded. */
  body: Buffer;
  /** Every byte read from the socket for this response: status line, headers, chunk framing and body. */
  wireBytes: number;
}

/**
 * A GET over its own socket that leaves the body encoded: fetch() decodes gzip and brotli by itself, which would hide
 * exactly what these measurements are about.
 */
export function wireGet(url: string, headers: Record<string, string> = {}): Promise<WireResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          wireBytes: res.socket?.bytesRead ?? req.socket?.bytesRead ?? 0,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** Serves `app` on a free loopback port, as Recon's own `serve` does, so requests cross a real socket. */
export async function listenOnLoopback(app: { fetch: (request: Request) => Response | Promise<Response> }) {
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  if (!server.listening) await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
