import { createOneRosterClient, type OneRosterAuth, OneRosterClientError, type OneRosterClientOptions, type OneRosterVersion } from '../client/index.js';

/**
 * The OneRoster version of a provider the caller did not name (fact sheet §1, §10.2):
 *
 * 1. the base URL's form says it: a `…/v1p1` base is 1.1, a `…/{service}/v1p2` base is 1.2;
 * 2. OAuth 1.0a is the 1.1 binding's, so it means 1.1;
 * 3. otherwise (a `…/ims/oneroster` base) one record of the 1.2 rostering base's `/orgs` is asked for:
 *    an answer means 1.2, a 404 means the 1.2 paths are not served and 1.1 is used. Anything else
 *    (a 401, a network error) is the pull's failure, not a reason to guess.
 *
 * ClassLink's 1.2-labelled data on v1p1 paths (§1) is read as 1.1 here: name the version to read it
 * as 1.2 (the client keeps the v1p1 paths whatever the label, base-url.ts rule (b)).
 */
export async function detectVersion(
  baseUrl: string,
  auth: OneRosterAuth,
  client: Omit<OneRosterClientOptions, 'baseUrl' | 'version' | 'auth'>,
): Promise<OneRosterVersion> {
  if (/\/v1p1\/*$/i.test(baseUrl)) return '1.1';
  if (/\/(?:rostering|gradebook|resources)\/v1p2\/*$/i.test(baseUrl)) return '1.2';
  if (auth.kind === 'oauth1') return '1.1';
  const probe = createOneRosterClient({ ...client, baseUrl, version: '1.2', auth, pageSize: 1 });
  try {
    for await (const _ of probe.list('rostering', '/orgs')) break;
    return '1.2';
  } catch (err) {
    if (err instanceof OneRosterClientError && err.code === 'http_error' && err.status === 404) return '1.1';
    throw err;
  }
}
