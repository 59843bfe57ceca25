import { bases, type EndpointDef, endpointsOf, type RestVersion } from './rest-tables.js';

export interface Route {
  endpoint: EndpointDef;
  version: RestVersion;
  params: Record<string, string>;
}

export type RouteMatch = { kind: 'found'; route: Route } | { kind: 'wrong-method'; allowed: string[] } | { kind: 'none' };

interface Compiled {
  endpoint: EndpointDef;
  version: RestVersion;
  re: RegExp;
  names: string[];
}

/**
 * Every operation of both versions as a full-path pattern: `/ims/oneroster/v1p1/classes/{id}` and
 * `/ims/oneroster/rostering/v1p2/classes/{id}`. A path segment is one URL-encoded sourcedId.
 */
const compiled: Compiled[] = (['1.1', '1.2'] as const).flatMap((version) =>
  endpointsOf(version).map((endpoint) => {
    const names: string[] = [];
    const full = `${bases[version][endpoint.service]}${endpoint.path}`;
    const pattern = full.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    return { endpoint, version, re: new RegExp(`^${pattern}/?$`), names };
  }),
);

export function matchRoute(method: string, path: string): RouteMatch {
  const allowed: string[] = [];
  for (const c of compiled) {
    const m = c.re.exec(path);
    if (!m) continue;
    if (c.endpoint.method !== method) {
      allowed.push(c.endpoint.method);
      continue;
    }
    const params: Record<string, string> = {};
    c.names.forEach((name, i) => {
      params[name] = decodeSegment(m[i + 1] as string);
    });
    return { kind: 'found', route: { endpoint: c.endpoint, version: c.version, params } };
  }
  return allowed.length > 0 ? { kind: 'wrong-method', allowed: [...new Set(allowed)] } : { kind: 'none' };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // a malformed escape is just an id that will not be found
  }
}
