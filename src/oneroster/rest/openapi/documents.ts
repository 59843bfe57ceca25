import { createHash } from 'node:crypto';
import { bases, type RestVersion, type Service } from '../rest-tables.js';
import { buildOneRosterOpenApi } from './build-document.js';
import type { Json } from './component-schemas.js';

/**
 * The discovery documents EdHub serves, one per OneRoster base, each under two names (fact sheet
 * §2.5: the binding document and the conformance guide name the files differently; serve both):
 *
 * | base                              | file                                             | alias                                   |
 * |-----------------------------------|--------------------------------------------------|-----------------------------------------|
 * | /ims/oneroster/rostering/v1p2     | onerosterv1p2rostersservice_openapi3_v1p0.json   | imsorv1p2_rostering_openapi3_v1p0.json  |
 * | /ims/oneroster/gradebook/v1p2     | onerosterv1p2gradebookservice_openapi3_v1p0.json | imsorv1p2_gradebook_openapi3_v1p0.json  |
 * | /ims/oneroster/resources/v1p2     | onerosterv1p2resourcesservice_openapi3_v1p0.json | imsorv1p2_resources_openapi3_v1p0.json  |
 * | /ims/oneroster/v1p1 (all three)   | onerosterv1p1service_openapi3_v1p0.json          | imsorv1p1_openapi3_v1p0.json            |
 *
 * The 1.2 names are the official files' and the conformance guide's; 1.1 has no official machine-
 * readable file (fact sheet §7.5), so its names follow the same patterns.
 */
export interface DiscoveryDocument {
  version: RestVersion;
  services: Service[];
  /** The base path the document describes and is served under (`{base}/discovery/{file}`). */
  base: string;
  file: string;
  aliases: string[];
  document: Json;
  /** The served bytes, and their strong ETag. */
  text: string;
  etag: string;
}

const CATALOGUE: Array<Pick<DiscoveryDocument, 'version' | 'services' | 'file' | 'aliases'>> = [
  { version: '1.2', services: ['rostering'], file: 'onerosterv1p2rostersservice_openapi3_v1p0.json', aliases: ['imsorv1p2_rostering_openapi3_v1p0.json'] },
  { version: '1.2', services: ['gradebook'], file: 'onerosterv1p2gradebookservice_openapi3_v1p0.json', aliases: ['imsorv1p2_gradebook_openapi3_v1p0.json'] },
  { version: '1.2', services: ['resources'], file: 'onerosterv1p2resourcesservice_openapi3_v1p0.json', aliases: ['imsorv1p2_resources_openapi3_v1p0.json'] },
  {
    version: '1.1',
    services: ['rostering', 'gradebook', 'resources'],
    file: 'onerosterv1p1service_openapi3_v1p0.json',
    aliases: ['imsorv1p1_openapi3_v1p0.json'],
  },
];

let built: DiscoveryDocument[] | undefined;

/** Every discovery document, built on first use and then kept for the life of the process (the tables do not change). */
export function discoveryDocuments(): readonly DiscoveryDocument[] {
  built ??= CATALOGUE.map((c) => {
    const document = buildOneRosterOpenApi(c.version, c.services);
    const text = JSON.stringify(document);
    const etag = `"${createHash('sha256').update(text).digest('base64url').slice(0, 32)}"`;
    return { ...c, base: bases[c.version][c.services[0] as Service], document, text, etag };
  });
  return built;
}

/** The document of a version that describes a service. */
export function discoveryDocumentFor(version: RestVersion, service: Service): DiscoveryDocument {
  const d = discoveryDocuments().find((x) => x.version === version && x.services.includes(service));
  if (!d) throw new Error(`no OneRoster ${version} discovery document for ${service}`);
  return d;
}
