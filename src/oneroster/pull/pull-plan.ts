import type { OneRosterService, OneRosterVersion } from '../client/index.js';
import { csvSpec } from '../csv/spec.js';
import { endpointsOf } from '../rest/rest-tables.js';

/** One collection a pull reads, and the CSV file its records become. */
export interface PlannedCollection {
  /** The CSV file (and REST entity) name: `orgs`, `users`, `lineItems`… */
  file: string;
  service: OneRosterService;
  /** The collection path below the service base, e.g. `/orgs`. */
  path: string;
  /**
   * A 403 on this collection skips it with a warning instead of failing the pull. True for
   * demographics: they need their own scope (`roster-demographics.readonly`, fact sheet §6.1, §10.14),
   * which many tokens rightly lack.
   */
  skipWhenForbidden: boolean;
}

const SERVICES: Record<'rostering' | 'gradebook', readonly OneRosterService[]> = { rostering: ['rostering'], gradebook: ['rostering', 'gradebook'] };

/**
 * The collections of a pull, from the endpoint table (standards/oneroster/rest-endpoints.json): every
 * top-level GET collection of the rostering service (and of the gradebook service with
 * `includeGradebook`) whose entity is a CSV file of the version. Filtered views (`/schools`,
 * `/students`…) and nested routes are left out: the base collections already hold their records.
 * Rostering comes first (the endpoint table lists it first): gradebook records lean on the classes.
 */
export function pullPlan(version: OneRosterVersion, includeGradebook: boolean): PlannedCollection[] {
  const services = SERVICES[includeGradebook ? 'gradebook' : 'rostering'];
  const spec = csvSpec(version);
  return endpointsOf(version)
    .filter((e) => e.method === 'GET' && e.where === undefined && e.path === `/${e.entity}` && services.includes(e.service) && spec.file(e.entity))
    .map((e) => ({ file: e.entity, service: e.service, path: e.path, skipWhenForbidden: e.scopes === 'demographics' }));
}
