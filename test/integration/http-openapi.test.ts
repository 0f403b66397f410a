import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyOf, toOpenApiDocument, toOpenApiPath } from '../../server/http/openapi.ts';
import { ROUTE_INPUTS } from '../../server/http/openapi-inputs.ts';
import { ROUTE_TABLE } from '../../server/http/route-table.ts';
import type { Recon } from '../../server/recon.ts';
import { createIsolatedEnv, type IsolatedEnv } from '../support/isolated-env.ts';
import { expectMatchesOpenApi } from '../support/openapi.ts';
import { startTestRecon } from '../support/recon-harness.ts';

// /api/openapi.json against the app that serves it: every route the app registers is described, with its role.
type Operation = { 'x-recon-access': string; responses: Record<string, unknown> };
type Document = {
  openapi: string;
  info: { version: string };
  paths: Record<string, Record<string, Operation>>;
  components: object;
};

let env: IsolatedEnv;
let recon: Recon;
let document: Document;

beforeAll(async () => {
  env = await createIsolatedEnv('openapi');
  recon = await startTestRecon(env);
  const response = await recon.app.request('/api/openapi.json');
  expect(response.status).toBe(200);
  document = (await response.json()) as Document;
});

afterAll(async () => {
  await recon?.stop();
  await env?.destroy();
});

describe('GET /api/openapi.json', () => {
  it('is served to anyone, as OpenAPI 3.1 generated from the route table', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document).toEqual(JSON.parse(JSON.stringify(toOpenApiDocument(document.info.version))));
  });

  it('describes every route the app registers, with its method and path', () => {
    const registered = recon.app.routes.filter((route) => route.method !== 'ALL');
    const missing = registered.filter(
      (route) => !document.paths[toOpenApiPath(route.path)]?.[route.method.toLowerCase()],
    );
    expect(missing.map((route) => `${route.method} ${route.path}`)).toEqual([]);
  });

  it('describes every row of the route table with its role', () => {
    for (const rule of ROUTE_TABLE) {
      const operation = document.paths[toOpenApiPath(rule.path)]?.[rule.method.toLowerCase()];
      expect(operation?.['x-recon-access'], keyOf(rule)).toBe(rule.access);
    }
  });

  it('takes inputs only for routes the table has', () => {
    const listed = new Set(ROUTE_TABLE.map(keyOf));
    expect(Object.keys(ROUTE_INPUTS).filter((key) => !listed.has(key))).toEqual([]);
  });

  it('names path parameters as OpenAPI does', () => {
    expect(toOpenApiPath('/api/findings/:id{.+}')).toBe('/api/findings/{id}');
    expect(toOpenApiPath('/api/orders/:orderId/timeline')).toBe('/api/orders/{orderId}/timeline');
    expect(toOpenApiPath('/assets/*')).toBe('/assets/{path}');
  });

  it('describes the error every route answers, as the server sends it', async () => {
    const response = await recon.app.request('/api/findings');
    expect(response.status).toBe(401);
    expectMatchesOpenApi('GET', '/api/findings', 401, await response.json());
  });

  it('refuses a body that is not what the document says (the check is not vacuous)', () => {
    expect(() => expectMatchesOpenApi('GET', '/healthz', 200, { ok: 'yes', version: null })).toThrow();
    expect(() => expectMatchesOpenApi('GET', '/healthz', 200, { ok: true, version: null, extra: 1 })).toThrow();
  });
});
