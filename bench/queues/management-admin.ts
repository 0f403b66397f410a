// The few management API calls the benchmark's setup makes (vhost, permissions, readiness). Not Recon's adapter:
// that one is read-only by design, and setup traffic must stay out of the measured windows anyway.

export interface ManagementAdmin {
  /** The user in the management URL: it gets permissions on the benchmark's vhost. */
  user: string;
  call(method: 'GET' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<unknown>;
}

export function createManagementAdmin(managementUrl: string): ManagementAdmin {
  const base = new URL(managementUrl);
  const user = decodeURIComponent(base.username) || 'guest';
  const authorization = `Basic ${Buffer.from(`${user}:${decodeURIComponent(base.password)}`).toString('base64')}`;
  const origin = base.origin + base.pathname.replace(/\/$/, '');
  return {
    user,
    async call(method, path, body) {
      let response: Response;
      try {
        response = await fetch(`${origin}${path}`, {
          method,
          headers: { authorization, 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(120_000),
        });
      } catch (error) {
        throw new Error(
          `${method} ${path}: the management API at ${base.host} is not reachable; start it with: bash scripts/services.sh`,
          { cause: error },
        );
      }
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text.slice(0, 200)}`.trim());
      return text ? JSON.parse(text) : undefined;
    },
  };
}
