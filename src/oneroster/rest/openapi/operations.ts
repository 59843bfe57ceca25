import { type EndpointDef, entityOf, type RestVersion, scopesFor } from '../rest-tables.js';
import type { Json } from './component-schemas.js';
import { GUID_PAIR_SET, ref, setSchemaName, singleSchemaName } from './schema-names.js';

/**
 * One endpoint row as an OpenAPI Operation Object (fact sheet §2–§5): parameters, security with the
 * row's scopes, request body, the success response and the imsx_StatusInfo error responses that
 * apply to it. Error responses are shared `components.responses` (responses()).
 */
export function operationOf(endpoint: EndpointDef, version: RestVersion): Json {
  const entity = entityOf(endpoint.entity, version);
  const pathParams = [...endpoint.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
  const nested = pathParams.some((p) => p !== 'sourcedId');
  const collection = endpoint.method === 'GET' && !pathParams.includes('sourcedId');
  const parameters: Json[] = pathParams.map((name) => ({
    name,
    in: 'path',
    required: true,
    description: name === 'sourcedId' ? `The sourcedId of the ${entity.single} (case-sensitive).` : `The sourcedId of the ${name.replace(/SourcedId$/, '')}.`,
    schema: { type: 'string' },
  }));
  if (endpoint.method === 'GET') parameters.push(...(collection ? COLLECTION_QUERY : [FIELDS]));

  const responses: Json = {};
  const errors = (...codes: string[]) => {
    for (const c of codes) responses[c] = { $ref: `#/components/responses/${ERROR_RESPONSES[c]?.name}` };
  };
  switch (endpoint.method) {
    case 'GET':
      responses['200'] = collection
        ? {
            description: `A page of ${entity.name} (may be empty).`,
            headers: { 'X-Total-Count': TOTAL_COUNT, Link: LINK },
            content: json(setSchemaName(entity)),
          }
        : { description: `The ${entity.single}.`, headers: { 'X-Total-Count': TOTAL_COUNT }, content: json(singleSchemaName(entity)) };
      errors('400', '401', '403');
      // 1.2: an unknown parent is 404 unknownobject; 1.1: 200 with an empty list (fact sheet §2.1, §10.11).
      if (!collection || (nested && version === '1.2')) errors('404');
      break;
    case 'PUT':
      responses['201'] = {
        description: `The ${entity.single} was created or replaced; the body is the stored ${entity.single}.`,
        content: json(singleSchemaName(entity)),
      };
      errors('400', '401', '403', '404', '422');
      break;
    case 'DELETE':
      responses['204'] = {
        description: `The ${entity.single} was deleted; it stays visible to delta reads (dateLastModified or status filters) as tobedeleted.`,
      };
      errors('401', '403', '404');
      break;
    case 'POST':
      responses['201'] = { description: 'Created; the server allocated a sourcedId for each record.', content: json(GUID_PAIR_SET) };
      errors('400', '401', '403', '404', '422');
      break;
    default: {
      const never: never = endpoint.method;
      throw new Error(`unknown method ${never}`);
    }
  }
  errors('429', '500', 'default');

  const op: Json = {
    operationId: endpoint.operationId,
    summary: `${endpoint.method} ${endpoint.path}`,
    tags: [endpoint.path.split('/')[1] as string],
    ...(nested && endpoint.method === 'GET' ? { description: unknownParent(version) } : {}),
    parameters,
    security: security(endpoint, version),
    responses,
  };
  if (endpoint.method === 'PUT') {
    op.requestBody = {
      required: true,
      description: `{"${entity.single}": {…}}. GUIDRefs may carry sourcedId alone; sourcedId, status and dateLastModified may be left out (the path gives the sourcedId, the server the rest).`,
      content: json(singleSchemaName(entity)),
    };
  }
  if (endpoint.method === 'POST') {
    op.requestBody = {
      required: true,
      description: `{"${entity.name}": [ … ]} (1 to 1000 records). Each record's sourcedId, if any, comes back as suppliedSourcedId; the path's parent wins over the body's reference.`,
      content: json(setSchemaName(entity)),
    };
  }
  return op;
}

function security(endpoint: EndpointDef, version: RestVersion): Json[] {
  const oauth2 = { OAuth2CC: scopesFor(endpoint.scopes, version) };
  return version === '1.1' ? [oauth2, { OAuth1: [] }] : [oauth2];
}

function unknownParent(version: RestVersion): string {
  return version === '1.2'
    ? 'An unknown parent sourcedId is 404 unknownobject (the 1.2 operation descriptions).'
    : 'An unknown parent sourcedId is 200 with an empty list (what Microsoft SDS tests on 1.1).';
}

const json = (schema: string) => ({ 'application/json': { schema: ref(schema) } });

const TOTAL_COUNT = { description: 'The number of records the query matches (also sent on single-object reads).', schema: { type: 'integer', minimum: 0 } };
const LINK = {
  description: 'RFC 8288 links to the first, prev, next and last pages: the same query with other offset values.',
  schema: { type: 'string' },
};

const FIELDS: Json = {
  name: 'fields',
  in: 'query',
  required: false,
  description: 'The fields to return, comma-separated; an unknown field is 400 invalid_selection_field.',
  style: 'form',
  explode: false,
  schema: { type: 'array', items: { type: 'string' } },
};

/** The collection query (fact sheet §3). */
const COLLECTION_QUERY: Json[] = [
  {
    name: 'limit',
    in: 'query',
    required: false,
    description: 'Page size. A limit above the server maximum (10000) is served as the maximum.',
    schema: { type: 'integer', format: 'int32', default: 100, minimum: 1 },
  },
  {
    name: 'offset',
    in: 'query',
    required: false,
    description: 'Zero-based index of the first record.',
    schema: { type: 'integer', format: 'int32', default: 0, minimum: 0 },
  },
  {
    name: 'sort',
    in: 'query',
    required: false,
    description: 'A field to sort on (Unicode code-point order; sourcedId breaks ties); an unknown one is 400 invalid_sort_field.',
    schema: { type: 'string' },
  },
  { name: 'orderBy', in: 'query', required: false, description: 'With sort.', schema: { type: 'string', enum: ['asc', 'desc'] } },
  {
    name: 'filter',
    in: 'query',
    required: false,
    description:
      "`field predicate 'value'` joined by AND / OR (AND binds tighter); predicates = != > >= < <= ~ (contains). An unknown field is 400 invalid_filter_field.",
    schema: { type: 'string' },
  },
  FIELDS,
];

/** The imsx_StatusInfo responses (fact sheet §5.2), by status. */
export const ERROR_RESPONSES: Record<string, { name: string; description: string; retryAfter?: boolean }> = {
  '400': { name: 'BadRequest', description: 'invalid_filter_field, invalid_selection_field or invalid_sort_field (a bad query), or a body that is not JSON.' },
  '401': { name: 'Unauthorised', description: 'unauthorisedrequest: no credential, or one that is not valid. Checked before anything about the request.' },
  '403': { name: 'Forbidden', description: 'forbidden: the credential lacks the scope this operation needs.' },
  '404': { name: 'UnknownObject', description: 'unknownobject: no record, or no parent record, with this sourcedId.' },
  '422': { name: 'InvalidData', description: 'invaliddata: a well-formed JSON body that breaks the schema; the description names the JSON pointer.' },
  '429': { name: 'ServerBusy', description: 'server_busy: too many requests; retry after Retry-After seconds.', retryAfter: true },
  '500': { name: 'InternalServerError', description: 'internal_server_error.' },
  default: { name: 'StatusInfo', description: 'Any other failure, as imsx_StatusInfo.' },
};

export function errorResponses(): Json {
  return Object.fromEntries(
    Object.values(ERROR_RESPONSES).map((r) => [
      r.name,
      {
        description: r.description,
        ...(r.retryAfter ? { headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer', minimum: 0 } } } } : {}),
        content: json('imsx_StatusInfoDType'),
      },
    ]),
  );
}
