import { Hono } from 'hono';
import { toOpenApiDocument } from './openapi.ts';

/** GET /api/openapi.json: built once, on the first request (it is the same for every caller). */
export function openApiRoutes(version?: string): Hono {
  const app = new Hono();
  let document: object | undefined;
  app.get('/api/openapi.json', (c) => {
    document ??= toOpenApiDocument(version);
    return c.json(document);
  });
  return app;
}
