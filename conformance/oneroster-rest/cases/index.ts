import { endpointsOf, type RestVersion } from '../../../src/oneroster/rest/rest-tables.js';
import type { SuiteCase } from '../case.js';
import { authCases } from './auth.js';
import { endpointCases } from './endpoints.js';
import { filterCases } from './filters.js';
import { googleReadCases } from './google.js';
import { googleWriteCases } from './google-writes.js';
import { headerCases } from './headers.js';
import { pagingCases } from './paging.js';
import { queryCases } from './query-errors.js';
import { responseTimeCase, sdsCases } from './sds.js';

/**
 * Every case of a version, in the order they run: the endpoints first (their reads feed the rest),
 * then the query grammar, auth, the vendor checks, the writes, and last the cases that judge every
 * exchange made before them (headers, response time).
 */
export function suiteCases(version: RestVersion): SuiteCase[] {
  return [
    ...endpointCases(version, endpointsOf(version)),
    ...pagingCases,
    ...filterCases(version),
    ...queryCases,
    ...authCases,
    ...sdsCases,
    ...googleReadCases,
    ...googleWriteCases,
    ...headerCases,
    responseTimeCase,
  ];
}
