import { z } from 'zod';
import { ROUTE_INPUTS, type RouteInputs } from './openapi-inputs.ts';
import { type Answer, ROUTE_TABLE, type RouteRule } from './route-table.ts';
import wireSchema from './wire.schema.json' with { type: 'json' };

// GET /api/openapi.json: the API as OpenAPI 3.1, generated at start from what the server enforces and sends: the
// route table (paths, roles, answers), the handlers' zod schemas (parameters, bodies) and the wire types' JSON
// Schemas (wire.schema.json, from server/http/wire.ts by `npm run wire-schema`). Nothing here is written by hand.

type Schema = Record<string, unknown>;
type Operation = Record<string, unknown>;

const SCHEMAS = '#/components/schemas/';
const ERROR = { $ref: `${SCHEMAS}ErrorJson` };

/** A hono path as OpenAPI writes it: `:id{.+}` and `:id` become `{id}`, a trailing `*` becomes `{path}`. */
export function toOpenApiPath(honoPath: string): string {
  return honoPath.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}').replace(/\*$/, '{path}');
}

export function toOpenApiDocument(version = '0.0.0'): Schema {
  const paths: Record<string, Record<string, Operation>> = {};
  for (const rule of ROUTE_TABLE) {
    const path = toOpenApiPath(rule.path);
    paths[path] = { ...paths[path], [rule.method.toLowerCase()]: toOperation(rule, ROUTE_INPUTS[keyOf(rule)] ?? {}) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Recon',
      version,
      description:
        'Every route with the role it needs (`x-recon-access`). Sign in with HTTP Basic (scripts) or the session ' +
        'cookie (the web UI, which must also send X-CSRF-Token on writes). Every error is an ErrorJson.',
    },
    paths,
    components: {
      schemas: asComponents(wireSchema.definitions),
      securitySchemes: {
        basic: { type: 'http', scheme: 'basic' },
        session: { type: 'apiKey', in: 'cookie', name: 'recon_session' },
        metricsToken: { type: 'http', scheme: 'bearer', description: 'Only when RECON_METRICS_TOKEN is set.' },
      },
    },
  };
}

export const keyOf = (rule: Pick<RouteRule, 'method' | 'path'>) => `${rule.method} ${rule.path}`;

function toOperation(rule: RouteRule, inputs: RouteInputs): Operation {
  const body = inputs.body && toJsonSchema(inputs.body);
  return {
    'x-recon-access': rule.access,
    description: accessInWords(rule),
    security: securityOf(rule),
    parameters: parametersOf(rule, inputs),
    ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: body } } } } : {}),
    responses: responsesOf(rule),
  };
}

function accessInWords(rule: RouteRule): string {
  const access =
    rule.access === 'public'
      ? 'Anyone.'
      : rule.access === 'metrics'
        ? 'Anyone, or with RECON_METRICS_TOKEN set, `Authorization: Bearer <token>`.'
        : `The ${rule.access} role or a higher one.`;
  const limits = rule.rateLimited ? " Counted against the caller's action rate limit (429 past it)." : '';
  return access + limits;
}

function securityOf(rule: RouteRule): Schema[] {
  if (rule.access === 'public') return [{}];
  if (rule.access === 'metrics') return [{}, { metricsToken: [] }];
  return [{ basic: [] }, { session: [] }];
}

function parametersOf(rule: RouteRule, inputs: RouteInputs): Schema[] {
  const inPath = [...rule.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const pathSchemas = inputs.params ? propertiesOf(inputs.params).properties : {};
  const query = inputs.query ? propertiesOf(inputs.query) : { properties: {}, required: [] };
  return [
    ...inPath.map((name) => ({ name, in: 'path', required: true, schema: pathSchemas[name] ?? { type: 'string' } })),
    ...(rule.path.endsWith('*') ? [{ name: 'path', in: 'path', required: true, schema: { type: 'string' } }] : []),
    ...Object.entries(query.properties).map(([name, schema]) => ({
      name,
      in: 'query',
      required: query.required.includes(name),
      schema,
    })),
    ...(inputs.idempotencyKey
      ? [{ name: 'Idempotency-Key', in: 'header', schema: { type: 'string', minLength: 1, maxLength: 200 } }]
      : []),
    ...(rule.method !== 'GET' && !rule.withoutCsrf
      ? [
          {
            name: 'X-CSRF-Token',
            in: 'header',
            description: 'With the session cookie only.',
            schema: { type: 'string' },
          },
        ]
      : []),
  ];
}

function responsesOf(rule: RouteRule): Record<string, Schema> {
  const byStatus = isByStatus(rule.answers) ? rule.answers : { 200: rule.answers };
  const success = Object.entries(byStatus).map(([status, answer]) => [status, toResponse(answer, rule)]);
  const refusals = rule.refusals
    ? { '4XX': { description: 'Refused', ...json({ $ref: SCHEMAS + rule.refusals }) } }
    : {};
  return { ...Object.fromEntries(success), ...refusals, default: { description: 'An error', ...json(ERROR) } };
}

function toResponse(answer: Answer | undefined, rule: RouteRule): Schema {
  if (answer === null || answer === undefined) return { description: 'No content' };
  if (answer.includes('/')) {
    const events = rule.events ? { 'x-events': { $ref: SCHEMAS + rule.events } } : {};
    return { description: answer, content: { [answer]: events } };
  }
  return { description: answer, ...json({ $ref: SCHEMAS + answer }) };
}

const json = (schema: Schema) => ({ content: { 'application/json': { schema } } });

const isByStatus = (answers: RouteRule['answers']): answers is Exclude<RouteRule['answers'], Answer> =>
  answers !== null && typeof answers === 'object';

/** As a client sends it (`io: 'input'`): a default makes a field optional; refinements zod cannot say are left out. */
function toJsonSchema(schema: z.ZodType): Schema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Schema;
  return rest;
}

function propertiesOf(schema: z.ZodType): { properties: Record<string, Schema>; required: string[] } {
  const { properties = {}, required = [] } = toJsonSchema(schema) as {
    properties?: Record<string, Schema>;
    required?: string[];
  };
  return { properties, required };
}

/** wire.schema.json's definitions, their `#/definitions/` references pointed at `#/components/schemas/`. */
function asComponents(definitions: object): Schema {
  return JSON.parse(JSON.stringify(definitions).replaceAll('"#/definitions/', `"${SCHEMAS}`)) as Schema;
}
