import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';
import { toOpenApiDocument } from '../../server/http/openapi.ts';

// Real responses checked against /api/openapi.json's description of them, so the document cannot drift from what
// the server sends: the integration tests call this on bodies they already read.

type Responses = Record<string, { content?: Record<string, { schema?: object }> }>;
type Paths = Record<string, Record<string, { responses: Responses }>>;

const document = toOpenApiDocument() as { paths: Paths; components: object };
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);
const compiled = new Map<string, ValidateFunction>();

/** Fails unless `body` is what the document says `method path` answers with `status` (an error: ErrorJson). */
export function expectMatchesOpenApi(method: string, path: string, status: number, body: unknown): void {
  const label = `${method.toUpperCase()} ${path} → ${status}`;
  const [template, responses] = operationFor(method.toLowerCase(), path.split('?')[0]!);
  // A success must be listed by its own status; refusals fall back to their range, then to the default (ErrorJson).
  // A path no route has answers the app's 404, an ErrorJson too.
  const response = !responses
    ? { content: { 'application/json': { schema: ERROR } } }
    : (responses[status] ?? (status >= 400 ? (responses[`${String(status)[0]}XX`] ?? responses.default) : undefined));
  expect(response, `${label}: not documented`).toBeDefined();
  const content = response?.content?.['application/json'];
  expect(content, `${label}: not documented as JSON`).toBeDefined();
  // JSON of no wire type: the OpenAPI document itself.
  if (!content?.schema) return;
  const key = `${method} ${template} ${status}`;
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile({ ...content.schema, components: document.components });
    compiled.set(key, validate);
  }
  const isValid = validate(body);
  expect(isValid ? [] : validate.errors, `${label} against the OpenAPI document`).toEqual([]);
}

const ERROR = { $ref: '#/components/schemas/ErrorJson' };

/** The documented operation a concrete path is an instance of: one-segment parameters first, then any. */
function operationFor(method: string, path: string): [string, Responses | undefined] {
  for (const segment of ['[^/]+', '.+']) {
    for (const [template, operations] of Object.entries(document.paths)) {
      const operation = operations[method];
      const literal = template.replace(/[.+?^$()|[\]\\]/g, '\\$&');
      const pattern = new RegExp(`^${literal.replace(/\{\w+\}/g, segment)}$`);
      if (operation && pattern.test(path)) return [template, operation.responses];
    }
  }
  return ['(no route)', undefined];
}

/** `response` as it was, after checking a copy of its JSON body (other bodies pass through unread: a stream may not end). */
export async function checkedAgainstOpenApi(method: string, path: string, response: Response): Promise<Response> {
  if (response.headers.get('content-type')?.startsWith('application/json'))
    expectMatchesOpenApi(method, path, response.status, await response.clone().json());
  return response;
}
