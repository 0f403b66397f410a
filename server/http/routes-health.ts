import { Hono } from 'hono';
import type { Registry } from 'prom-client';
import type { ErrorLogger } from './app.ts';
import type { HealthJson, ReadyJson } from './wire.ts';

// Liveness says the process answers; readiness says it can serve (its database reachable), so a load balancer
// stops sending traffic without the orchestrator restarting a replica that is merely waiting for PostgreSQL.

export interface HealthDeps {
  registry: Registry;
  isReady(): Promise<boolean>;
  version?: string;
  logger: ErrorLogger;
}

export function healthRoutes(deps: HealthDeps): Hono {
  const app = new Hono();

  app.get('/healthz', (c) => c.json<HealthJson>({ ok: true, version: deps.version ?? null }));

  app.get('/readyz', async (c) => {
    const isReady = await deps.isReady().catch((err: unknown) => {
      deps.logger.error({ err }, 'readiness check failed');
      return false;
    });
    return c.json<ReadyJson>({ ready: isReady }, isReady ? 200 : 503);
  });

  // Values come from memory (see server/metrics/state.ts): a scrape never polls a source.
  app.get('/metrics', async (c) => {
    c.header('Content-Type', deps.registry.contentType);
    return c.body(await deps.registry.metrics());
  });

  return app;
}
