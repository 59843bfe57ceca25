import type { ApiRoute } from '../admin/api/route.js';
import type { JsonSchema, SchemaRegistry } from '../schemas/registry.js';
import { knownScopes } from '../tenancy/scopes.js';

type Json = Record<string, unknown>;

/**
 * The OpenAPI 3.1 description of /api/v1 and /oauth, built from the route table and the very schemas
 * that validate requests (3.1 speaks JSON Schema 2020-12, so they are used as they are; only $id
 * references are pointed at components).
 */
export function buildOpenApi(routes: ApiRoute[], schemas: SchemaRegistry, baseUrl: string, version: string): Json {
  const nameOf = new Map(schemas.schemas.map((s) => [s.$id, s.title]));
  const ref = (id: string) => ({ $ref: `#/components/schemas/${nameOf.get(id) ?? missing(id)}` });
  const paths: Record<string, Json> = {};

  for (const r of routes) {
    const op: Json = {
      operationId: r.operationId,
      summary: r.summary,
      tags: [r.tag],
      security: [{ bearer: [] }, { apiKey: [] }, { oauth2: r.scopes }],
      parameters: [...pathParameters(r.path), ...queryParameters(r.query ? schemas.byId(r.query) : undefined)],
      responses: {
        ...Object.fromEntries(
          Object.entries(r.responses).map(([status, resp]) => [
            status,
            {
              description: resp.description,
              ...(resp.schema ? { content: { [status.startsWith('2') ? 'application/json' : 'application/problem+json']: { schema: ref(resp.schema) } } } : {}),
              ...(!resp.schema && r.produces && status.startsWith('2')
                ? { content: { [r.produces]: { schema: { type: 'string', contentMediaType: r.produces } } } }
                : {}),
            },
          ]),
        ),
        ...commonProblems(ref('urn:edhub:schema:api:problem'), Boolean(r.body || r.upload)),
      },
    };
    if (r.body) op.requestBody = { required: true, content: { 'application/json': { schema: ref(r.body) } } };
    if (r.upload) op.requestBody = { required: true, content: Object.fromEntries(r.upload.map((t) => [t, { schema: uploadSchema(t) }])) };
    paths[r.path] = { ...(paths[r.path] ?? {}), [r.method]: op };
  }

  paths['/oauth/token'] = {
    post: {
      operationId: 'issueToken',
      summary: 'OAuth 2.0 client credentials grant (RFC 6749 §4.4); client_secret_basic or client_secret_post',
      tags: ['oauth'],
      security: [{ clientBasic: [] }, {}],
      requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: ref('urn:edhub:schema:api:token-request') } } },
      responses: {
        200: { description: 'An access token', content: { 'application/json': { schema: ref('urn:edhub:schema:api:token-response') } } },
        400: {
          description: 'invalid_request, unsupported_grant_type or invalid_scope',
          content: { 'application/json': { schema: ref('urn:edhub:schema:api:oauth-error') } },
        },
        401: { description: 'invalid_client', content: { 'application/json': { schema: ref('urn:edhub:schema:api:oauth-error') } } },
      },
    },
  };

  return {
    openapi: '3.1.0',
    info: { title: 'EdHub API', version, description: 'Administration and credential API of EdHub. Errors are RFC 9457 problem details.' },
    servers: [{ url: baseUrl }],
    paths,
    components: {
      schemas: Object.fromEntries(schemas.schemas.map((s) => [s.title, componentSchema(s, nameOf)])),
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API key (ehk_…) or an access token (eha_…) from /oauth/token.' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        clientBasic: { type: 'http', scheme: 'basic', description: 'client_secret_basic at the token endpoint.' },
        oauth2: {
          type: 'oauth2',
          flows: { clientCredentials: { tokenUrl: `${baseUrl}/oauth/token`, scopes: Object.fromEntries(knownScopes().map((s) => [s, s])) } },
        },
      },
    },
  };
}

function componentSchema(s: JsonSchema, nameOf: Map<string, string>): Json {
  const { $id: _id, $schema: _schema, ...rest } = s;
  return rewriteRefs(rest, nameOf) as Json;
}

function rewriteRefs(node: unknown, nameOf: Map<string, string>): unknown {
  if (Array.isArray(node)) return node.map((n) => rewriteRefs(n, nameOf));
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node as Json).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' ? `#/components/schemas/${nameOf.get(v) ?? missing(v)}` : rewriteRefs(v, nameOf),
    ]),
  );
}

function uploadSchema(mediaType: string): Json {
  return mediaType === 'multipart/form-data'
    ? {
        type: 'object',
        required: ['file'],
        properties: { file: { type: 'string', contentMediaType: 'application/zip', description: 'The package, as the first file part.' } },
      }
    : { type: 'string', contentMediaType: mediaType };
}

function pathParameters(path: string): Json[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
}

function queryParameters(schema: JsonSchema | undefined): Json[] {
  if (!schema) return [];
  const props = (schema.properties ?? {}) as Record<string, Json>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, s]) => ({
    name,
    in: 'query',
    required: required.has(name),
    ...(s.description ? { description: s.description } : {}),
    schema: s,
  }));
}

function commonProblems(problem: Json, hasBody: boolean): Record<string, Json> {
  const c = { 'application/problem+json': { schema: problem } };
  return {
    400: { description: 'Validation failed (errors[] points at each failed value)', content: c },
    401: { description: 'Missing, unknown, expired or revoked credential', content: c },
    403: { description: 'The credential lacks a required scope', content: c },
    ...(hasBody ? { 413: { description: 'Body too large', content: c }, 415: { description: 'Body is not JSON', content: c } } : {}),
  };
}

function missing(id: string): never {
  throw new Error(`OpenAPI: no schema with $id ${id}`);
}
