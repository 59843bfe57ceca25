import { FakeStatusError, unknownObject } from './fake-oneroster-http.js';
import type { Row } from './fake-oneroster-query.js';

/**
 * Which path the fake serves from which stored collection (fact sheet §2.1–2.4). Views answer with
 * their base collection's key (`/schools` → `orgs`); single objects with the singular key, except
 * demographics, whose single key is `demographics` too (§10.9).
 */
export type Service = 'rostering' | 'gradebook' | 'resources';

export interface CollectionRoute {
  service: Service;
  source: string;
  key: string;
  singular: string;
  where?: (row: Row) => boolean;
  writable?: boolean;
}

const hasRole = (role: string) => (row: Row) =>
  row.role === role || (Array.isArray(row.roles) && row.roles.some((r) => typeof r === 'object' && r !== null && (r as Row).role === role));
const ofType = (type: string) => (row: Row) => row.type === type;

export const COLLECTIONS: Record<string, CollectionRoute> = {
  academicSessions: { service: 'rostering', source: 'academicSessions', key: 'academicSessions', singular: 'academicSession' },
  terms: { service: 'rostering', source: 'academicSessions', key: 'academicSessions', singular: 'academicSession', where: ofType('term') },
  gradingPeriods: { service: 'rostering', source: 'academicSessions', key: 'academicSessions', singular: 'academicSession', where: ofType('gradingPeriod') },
  classes: { service: 'rostering', source: 'classes', key: 'classes', singular: 'class' },
  courses: { service: 'rostering', source: 'courses', key: 'courses', singular: 'course' },
  demographics: { service: 'rostering', source: 'demographics', key: 'demographics', singular: 'demographics' },
  enrollments: { service: 'rostering', source: 'enrollments', key: 'enrollments', singular: 'enrollment' },
  orgs: { service: 'rostering', source: 'orgs', key: 'orgs', singular: 'org' },
  schools: { service: 'rostering', source: 'orgs', key: 'orgs', singular: 'org', where: ofType('school') },
  users: { service: 'rostering', source: 'users', key: 'users', singular: 'user' },
  students: { service: 'rostering', source: 'users', key: 'users', singular: 'user', where: hasRole('student') },
  teachers: { service: 'rostering', source: 'users', key: 'users', singular: 'user', where: hasRole('teacher') },
  categories: { service: 'gradebook', source: 'categories', key: 'categories', singular: 'category', writable: true },
  lineItems: { service: 'gradebook', source: 'lineItems', key: 'lineItems', singular: 'lineItem', writable: true },
  results: { service: 'gradebook', source: 'results', key: 'results', singular: 'result', writable: true },
  resources: { service: 'resources', source: 'resources', key: 'resources', singular: 'resource' },
};

export interface NestedRoute {
  parent: string;
  /** The collection whose fields filter, sort and fields are checked against. */
  source: string;
  key: string;
  rows(data: ReadonlyMap<string, Row[]>, parentId: string): Row[];
}

const ref = (row: Row, field: string): unknown => (row[field] as Row | undefined)?.sourcedId;

function enrolled(role: string) {
  return (data: ReadonlyMap<string, Row[]>, classId: string): Row[] => {
    const ids = new Set((data.get('enrollments') ?? []).filter((e) => ref(e, 'class') === classId && e.role === role).map((e) => ref(e, 'user')));
    return (data.get('users') ?? []).filter((u) => ids.has(u.sourcedId));
  };
}

/** `/{parent}/{id}/{child}` routes, keyed `parent/child`. */
export const NESTED: Record<string, NestedRoute> = {
  'classes/students': { parent: 'classes', source: 'users', key: 'users', rows: enrolled('student') },
  'classes/teachers': { parent: 'classes', source: 'users', key: 'users', rows: enrolled('teacher') },
  'schools/classes': {
    parent: 'schools',
    source: 'classes',
    key: 'classes',
    rows: (data, id) => (data.get('classes') ?? []).filter((c) => ref(c, 'school') === id),
  },
};

export type Route =
  | { kind: 'collection'; name: string; route: CollectionRoute }
  | { kind: 'object'; name: string; route: CollectionRoute; id: string }
  | { kind: 'nested'; parent: CollectionRoute; parentId: string; route: NestedRoute };

/** Matches the path below the service base (`/users`, `/classes/c1/students`); undefined when unknown. */
export function matchRoute(service: Service | 'any', path: string): Route {
  const segments = path.split('/').filter(Boolean).map(decodeSegment);
  const [name, id, child] = segments;
  const route = name === undefined ? undefined : COLLECTIONS[name];
  if (route === undefined || (service !== 'any' && route.service !== service) || segments.length > 3) throw unknownObject(`no endpoint ${path}`);
  if (id === undefined) return { kind: 'collection', name: name as string, route };
  if (child === undefined) return { kind: 'object', name: name as string, route, id };
  const nested = NESTED[`${name}/${child}`];
  if (nested === undefined) throw unknownObject(`no endpoint ${path}`);
  return { kind: 'nested', parent: route, parentId: id, route: nested };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new FakeStatusError(400, 'invaliddata', `bad percent-encoding in ${segment}`);
  }
}
