import { oneRosterScopes } from '../../../tenancy/scopes.js';
import { bases, codeMinors, endpointsOf, type RestVersion, type Service } from '../rest-tables.js';
import { componentSchemas, type Json, refsIn } from './component-schemas.js';
import { errorResponses, operationOf } from './operations.js';

/**
 * An OpenAPI 3.0 description of one OneRoster base, built from standards/oneroster/rest-endpoints.json
 * and rest-entities.json only (never from the official files: scripts/check-oneroster-openapi.ts
 * compares the two). 1.2 has one document per service, as the official files do; 1.1 serves all three
 * services on one base, so it has one document.
 */
export function buildOneRosterOpenApi(version: RestVersion, services: readonly Service[]): Json {
  const endpoints = endpointsOf(version).filter((e) => services.includes(e.service));
  const paths: Record<string, Json> = {};
  for (const e of endpoints) paths[e.path] = { ...(paths[e.path] ?? {}), [e.method.toLowerCase()]: operationOf(e, version) };
  const sortedPaths = Object.fromEntries(
    Object.keys(paths)
      .sort()
      .map((p) => [p, paths[p] as Json]),
  );
  const minors = [...new Set(services.flatMap((s) => codeMinors[s]))];
  const responses = errorResponses();
  const base = bases[version][services[0] as Service];
  const title = `EdHub OneRoster ${version} ${version === '1.1' ? 'REST' : SERVICE_TITLES[services[0] as Service]} service`;
  return {
    openapi: '3.0.3',
    info: {
      title,
      version,
      description: [
        `OneRoster ${version} as EdHub serves it. Generated from EdHub's OneRoster REST tables (standards/oneroster/rest-endpoints.json, rest-entities.json); the component names follow the 1EdTech 1.2 OpenAPI files.`,
        'Errors are the unwrapped imsx_StatusInfo object. Booleans are the strings "true" and "false". Date-times are UTC with milliseconds (YYYY-MM-DDTHH:mm:ss.SSSZ).',
        version === '1.1'
          ? 'Authentication: an OAuth 2.0 bearer token (client credentials at /oauth/token), or OAuth 1.0a HMAC-SHA1 request signing, the original 1.1 binding, for clients that have it enabled.'
          : 'Authentication: an OAuth 2.0 bearer token from the client credentials grant at /oauth/token (HTTP Basic client authentication).',
      ].join('\n\n'),
    },
    servers: [{ url: base, description: 'Relative to the host this document was fetched from.' }],
    tags: [...new Set(endpoints.map((e) => e.path.split('/')[1] as string))].sort().map((name) => ({ name })),
    paths: sortedPaths,
    components: {
      schemas: componentSchemas(version, minors, [...new Set(refsIn([sortedPaths, responses]))]),
      responses,
      securitySchemes: securitySchemes(version),
    },
  };
}

const SERVICE_TITLES: Record<Service, string> = { rostering: 'Rostering', gradebook: 'Gradebook', resources: 'Resources' };

/** What each scope grants (fact sheet §6.1). */
const SCOPE_GRANTS: Record<string, string> = {
  'roster-core.readonly': 'Core rostering reads: every top-level collection and single object except demographics.',
  'roster.readonly': 'All rostering reads, nested paths included, except demographics.',
  'roster-demographics.readonly': 'Demographics reads.',
  'gradebook-core.readonly': 'Top-level gradebook collections and single objects.',
  'gradebook.readonly': 'All gradebook reads.',
  'gradebook.createput': 'Gradebook create-or-replace with a client-supplied sourcedId (PUT).',
  'gradebook.createpost': 'Gradebook creation with server-allocated sourcedIds (POST).',
  'gradebook.delete': 'Gradebook deletes.',
  'assessment.readonly': 'Assessment line item and result reads.',
  'assessment.createput': 'Assessment line item and result PUT.',
  'assessment.delete': 'Assessment line item and result deletes.',
  'resource-core.readonly': 'Resources collection and single objects.',
  'resource.readonly': 'All resources reads.',
};

function securitySchemes(version: RestVersion): Json {
  const v = oneRosterScopes(version);
  const schemes: Json = {
    OAuth2CC: {
      type: 'oauth2',
      description: 'OAuth 2.0 client credentials (RFC 6749 §4.4) with HTTP Basic client authentication; the token URL is relative to this host.',
      flows: { clientCredentials: { tokenUrl: '/oauth/token', scopes: Object.fromEntries(v.names.map((n) => [`${v.prefix}${n}`, SCOPE_GRANTS[n] ?? n])) } },
    },
  };
  if (version === '1.1') {
    schemes.OAuth1 = {
      type: 'http',
      scheme: 'OAuth',
      description:
        'OAuth 1.0a HMAC-SHA1 request signing (RFC 5849), two-legged: the consumer key is an EdHub OAuth client id with OAuth 1.0a enabled, the consumer secret its secret. OneRoster 1.1 paths only; the client scopes apply.',
    };
  }
  return schemes;
}
