import { auditRoutes } from './audit-routes.js';
import { credentialRoutes } from './credential-routes.js';
import { ltiKeyRoutes } from './lti-key-routes.js';
import { ltiPlatformRoutes } from './lti-platform-routes.js';
import { ltiRegistrationRoutes } from './lti-registration-routes.js';
import { onerosterRoutes } from './oneroster-routes.js';
import type { ApiRoute } from './route.js';
import { tenantRoutes } from './tenant-routes.js';
import { whoamiRoutes } from './whoami-routes.js';

/** The /api/v1 route table: routing, validation and /openapi.json are all built from it. */
export const apiRoutes: ApiRoute[] = [
  ...whoamiRoutes,
  ...tenantRoutes,
  ...credentialRoutes,
  ...auditRoutes,
  ...onerosterRoutes,
  ...ltiPlatformRoutes,
  ...ltiRegistrationRoutes,
  ...ltiKeyRoutes,
];
