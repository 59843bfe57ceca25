import { createHash } from 'node:crypto';
import { OneRosterError } from '../status-info.js';
import { type DiscoveryDocument, discoveryDocuments } from './documents.js';

export interface DiscoveryRequest {
  method: string;
  /** The URL path, starting /ims/oneroster/… */
  path: string;
  /** scheme://host[:port] the client reached: the list's hrefs use it. */
  origin: string;
  ifNoneMatch: string | undefined;
}

export interface DiscoveryResponse {
  status: 200 | 304;
  headers: Record<string, string>;
  /** JSON text; absent on 304. */
  body?: string;
}

/** Public: the documents describe the interface, not anyone's data, so no credential is asked for. */
const CACHE_CONTROL = 'public, max-age=3600';

/**
 * `{base}/discovery` (the list of the base's documents) and `{base}/discovery/{file}` (one document,
 * by its file name or its alias), without authentication (fact sheet §2.5). Undefined when the path
 * is not a discovery path, so the caller goes on to the provider; an unknown file under a discovery
 * path is 404 unknownobject. Only GET and HEAD are answered here.
 */
export function discoveryResponse(req: DiscoveryRequest): DiscoveryResponse | undefined {
  if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
  const m = /^(\/ims\/oneroster(?:\/[a-z]+)?\/v1p[12])\/discovery(?:\/([^/]*))?\/?$/.exec(req.path);
  if (!m) return undefined;
  const [, base, file] = m as unknown as [string, string, string | undefined];
  const documents = discoveryDocuments().filter((d) => d.base === base);
  if (documents.length === 0) return undefined;
  if (file === undefined || file === '') {
    const text = JSON.stringify({ documents: documents.map((d) => listing(d, req.origin)) });
    return answer(text, `"${createHash('sha256').update(text).digest('base64url').slice(0, 32)}"`, req.ifNoneMatch);
  }
  const doc = documents.find((d) => d.file === file || d.aliases.includes(file));
  if (!doc) {
    const names = documents.flatMap((d) => [d.file, ...d.aliases]).join(', ');
    throw new OneRosterError('unknownobject', `there is no discovery document ${JSON.stringify(file.slice(0, 200))} here; there are: ${names}`);
  }
  return answer(doc.text, doc.etag, req.ifNoneMatch);
}

function listing(d: DiscoveryDocument, origin: string) {
  return {
    version: d.version,
    services: d.services,
    file: d.file,
    aliases: d.aliases,
    href: `${origin}${d.base}/discovery/${d.file}`,
    title: (d.document.info as { title: string }).title,
  };
}

function answer(text: string, etag: string, ifNoneMatch: string | undefined): DiscoveryResponse {
  const headers = { 'Content-Type': 'application/json; charset=utf-8', ETag: etag, 'Cache-Control': CACHE_CONTROL };
  // RFC 9110 §13.1.2: a list of tags, or *; weak comparison.
  const tags = (ifNoneMatch ?? '').split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (tags.includes(etag) || tags.includes('*')) return { status: 304, headers };
  return { status: 200, headers, body: text };
}
