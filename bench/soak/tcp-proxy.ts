import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';

export type ProxyMode = 'pass' | 'cut' | 'slow';

export interface TcpProxy {
  port: number;
  /** `cut` drops every open connection and resets new ones (a stopped server); `slow` delays every chunk. */
  setMode(mode: ProxyMode, delayMs?: number): void;
  mode(): ProxyMode;
  close(): Promise<void>;
}

/**
 * A loopback proxy of the soak's own between Recon and one service, so the soak can take that service away from
 * Recon alone: the PostgreSQL cluster and the broker are shared with everything else on the machine.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: ProxyMode = 'pass';
  let delayMs = 0;
  const open = new Set<Socket>();

  const server: Server = createServer((client) => {
    if (mode === 'cut') {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    pipeWithDelay(client, upstream);
    pipeWithDelay(upstream, client);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('tcp proxy: no port');

  // Timers scheduled at non-decreasing times fire in order, so delayed chunks keep their order.
  function pipeWithDelay(from: Socket, to: Socket) {
    let lastAt = 0;
    from.on('data', (chunk) => {
      if (mode !== 'slow') return void to.write(chunk);
      lastAt = Math.max(Date.now() + delayMs, lastAt);
      setTimeout(() => to.writable && to.write(chunk), lastAt - Date.now());
    });
    from.on('end', () => to.end());
  }

  return {
    port: address.port,
    setMode(next, nextDelayMs = 0) {
      mode = next;
      delayMs = nextDelayMs;
      if (next === 'cut') for (const s of open) s.resetAndDestroy();
    },
    mode: () => mode,
    async close() {
      for (const s of open) s.destroy();
      server.close();
      await once(server, 'close').catch(() => {});
    },
  };
}

/** The same URL, pointed at the proxy. */
export function viaProxy(url: string, proxy: TcpProxy): string {
  const parsed = new URL(url);
  parsed.hostname = '127.0.0.1';
  parsed.port = String(proxy.port);
  return parsed.toString();
}
