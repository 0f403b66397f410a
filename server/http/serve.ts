import { serve as serveNode } from '@hono/node-server';
import type { Hono } from 'hono';

/**
 * Listens on `port` at `hostname` (RECON_HOST; all interfaces when omitted) and returns a function that stops accepting
 * connections and resolves once the open ones have ended, for a graceful shutdown on SIGTERM.
 */
export function serve(app: Pick<Hono, 'fetch'>, port: number, hostname?: string): () => Promise<void> {
  const server = serveNode({ fetch: app.fetch, port, ...(hostname ? { hostname } : {}) });
  return () =>
    new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      // Idle keep-alive sockets would otherwise hold close() open until their timeout.
      if ('closeIdleConnections' in server) server.closeIdleConnections();
    });
}
