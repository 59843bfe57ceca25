import type { OneRosterService, OneRosterVersion } from './options.js';

/**
 * The base URL rule. A source is configured with one `baseUrl` (fact sheet §1: "a consumer must be
 * configured per source with (version, base URL, auth method)"); the base of each service is derived:
 *
 * | `baseUrl` ends with            | 1.1                          | 1.2                                     |
 * |--------------------------------|------------------------------|-----------------------------------------|
 * | (a) `/ims/oneroster`           | `…/ims/oneroster/v1p1`       | `…/ims/oneroster/{service}/v1p2`        |
 * | (b) `/v1p1`                    | as is, for every service     | as is, for every service                |
 * | (c) `/{service}/v1p2`          | service segment swapped      | service segment swapped per call        |
 * | anything else                  | as is, for every service     | as is, for every service                |
 *
 * (b) with version 1.2 is deliberate: ClassLink serves 1.2-labelled data on `v1p1` paths
 * (fact sheet §1, §10.2), so the path form wins over the version label. 1.1 has one base for all
 * services; 1.2 has one per service (fact sheet §1). Trailing slashes are ignored.
 */
export function serviceBaseUrl(baseUrl: string, version: OneRosterVersion, service: OneRosterService): string {
  const base = baseUrl.replace(/\/+$/, '');
  if (/\/ims\/oneroster$/i.test(base)) return version === '1.1' ? `${base}/v1p1` : `${base}/${service}/v1p2`;
  if (/\/v1p1$/i.test(base)) return base;
  const perService = /^(.*)\/(?:rostering|gradebook|resources)\/v1p2$/i.exec(base);
  if (perService) return `${perService[1]}/${service}/v1p2`;
  return base;
}

/** True when the derived base is a 1.1 one, whatever the version label says (see rule (b)). */
export function servesV1p1Paths(serviceBase: string): boolean {
  return /\/v1p1$/i.test(serviceBase);
}

/**
 * A service path such as `/classes/c1/students`, with each interpolated value percent-encoded as one
 * path segment, because sourcedIds are opaque strings that may hold `/`, `?` or spaces:
 * oneRosterPath`/classes/${id}/students`.
 */
export function oneRosterPath(strings: TemplateStringsArray, ...values: string[]): string {
  return strings.reduce((path, literal, i) => path + literal + (i < values.length ? encodeURIComponent(values[i] as string) : ''), '');
}
