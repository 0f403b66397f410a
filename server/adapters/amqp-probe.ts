import amqp from 'amqplib';

/**
 * Opens one AMQP connection to `url` and closes it: whether the broker answers there, with these credentials and
 * this vhost (`recon check`). Returns the server's product and version as it announces them.
 */
export async function probeAmqp(url: string, timeoutMs: number): Promise<string> {
  const connection = await amqp.connect(url, {
    timeout: timeoutMs,
    clientProperties: { connection_name: 'recon-check' },
  });
  try {
    const server = connection.connection.serverProperties as { product?: string; version?: string } | undefined;
    return [server?.product, server?.version].filter(Boolean).join(' ');
  } finally {
    await connection.close().catch(() => {});
  }
}
