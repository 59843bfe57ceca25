import type { Whoami } from '../../generated/api-types.js';
import type { ApiRoute } from './route.js';

export const whoamiRoutes: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/v1/me',
    operationId: 'whoami',
    summary: 'Describe the credential making the request',
    tag: 'credentials',
    scopes: [],
    responses: { 200: { description: 'The credential, its tenant and scopes', schema: 'urn:edhub:schema:api:whoami' } },
    async handle(_deps, req) {
      const body: Whoami = { credential: req.principal.credential, tenantId: req.principal.tenantId, scopes: [...req.principal.scopes].sort() };
      return { status: 200, body };
    },
  },
];
