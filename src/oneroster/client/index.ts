/** The OneRoster REST consumer: an HTTP client for pulling rosters from (and writing grades to) a provider. */
export { oneRosterPath, serviceBaseUrl } from './base-url.js';
export type { ListQuery } from './collection-query.js';
export { createOneRosterClient, type OneRosterClient, type OneRosterResponse } from './create-client.js';
export { OneRosterClientError, type OneRosterClientErrorCode } from './errors.js';
export type { HttpMethod, OneRosterAuth, OneRosterClientOptions, OneRosterService, OneRosterVersion, RequestEvent } from './options.js';
export { createRawOneRosterRequester, type RawOneRosterRequest, type RawOneRosterResponse } from './raw-request.js';
export type { Row } from './response-key.js';
