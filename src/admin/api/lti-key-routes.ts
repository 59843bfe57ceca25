import type { LtiToolKeyRotate } from '../../generated/api-types.js';
import { ToolKeys } from '../../lti/keys/tool-keys.js';
import { Problem } from '../../problems.js';
import { isPlatformAdmin, type Principal } from '../../tenancy/principal.js';
import { PLATFORM_ADMIN } from '../../tenancy/scopes.js';
import type { ApiRequest, ApiRoute } from './route.js';

function requirePlatformAdmin(p: Principal): void {
  if (!isPlatformAdmin(p)) {
    throw new Problem('insufficient-scope', `the tool's signing keys belong to the installation: this needs ${PLATFORM_ADMIN} on a platform credential`);
  }
}

/** The tool's RS256 signing keys, shared by every tenant (issue 5 item 3): platform administrators only. */
export const ltiKeyRoutes: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/v1/lti/keys',
    operationId: 'listLtiToolKeys',
    summary: "List the tool's signing keys, newest first, with where each is in its rotation schedule",
    tag: 'lti',
    scopes: [PLATFORM_ADMIN],
    responses: { 200: { description: 'The keys', schema: 'urn:edhub:schema:api:lti-tool-key-list' } },
    async handle(deps, req) {
      requirePlatformAdmin(req.principal);
      return { status: 200, body: { items: await new ToolKeys(deps.db, deps.vault, deps.now).list() } };
    },
  },
  {
    method: 'post',
    path: '/api/v1/lti/keys/rotate',
    operationId: 'rotateLtiToolKey',
    summary:
      'Make a new signing key: published at once, signing after one JWKS cache period (or at once with immediate); the old key stays published for the overlap',
    tag: 'lti',
    scopes: [PLATFORM_ADMIN],
    body: 'urn:edhub:schema:api:lti-tool-key-rotate',
    responses: {
      200: { description: 'The rotation', schema: 'urn:edhub:schema:api:lti-tool-key-rotation' },
      409: { description: 'A new key is already waiting to activate', schema: 'urn:edhub:schema:api:problem' },
    },
    async handle(deps, req: ApiRequest<unknown, LtiToolKeyRotate>) {
      requirePlatformAdmin(req.principal);
      return { status: 200, body: await new ToolKeys(deps.db, deps.vault, deps.now).rotate(req.ctx, { immediate: req.body.immediate }) };
    },
  },
];
