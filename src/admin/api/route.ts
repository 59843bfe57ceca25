import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { BulkLoader } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import type { EdhubConfig } from '../../generated/config.js';
import type { Logger } from '../../observability/logger.js';
import { notFound } from '../../problems.js';
import type { ActorContext } from '../../security/audit-log.js';
import type { Vault } from '../../security/vault.js';
import { parseTenantId, type TenantId } from '../../tenancy/ids.js';
import { authorizeTenant, type Principal } from '../../tenancy/principal.js';

/** What API handlers may use; given by the composition root, never imported as singletons. */
export interface ApiDeps {
  db: Kysely<Database>;
  vault: Vault;
  config: EdhubConfig;
  logger: Logger;
  now: () => Date;
  /** Bulk loads (COPY) into the database. */
  copyIn: BulkLoader;
}

/** A request body handed over as a stream (package uploads), never parsed or buffered by the shell. */
export interface Upload {
  contentType: string | undefined;
  stream: Readable;
}

/** A request as handlers see it: already authenticated and schema-validated, no Express in sight. */
export interface ApiRequest<Q = Record<string, unknown>, B = unknown> {
  params: Record<string, string>;
  query: Q;
  body: B;
  principal: Principal;
  ctx: ActorContext;
  /** Set for routes that declare `upload`. */
  upload?: Upload;
}

export interface ApiResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A streamed body (a zip download); takes the place of `body`. */
  stream?: Readable;
}

/**
 * One row of the /api/v1 route table. The same row drives routing, request validation (the schema
 * ids) and the OpenAPI document, so the three cannot disagree.
 */
export interface ApiRoute {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** OpenAPI form: /api/v1/tenants/{tenantId} */
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  /** The credential needs any one of these (documentation; the handler enforces, with tenant reach). */
  scopes: string[];
  query?: string;
  body?: string;
  /** The body is a file upload in one of these media types (for OpenAPI and the 415 check). */
  upload?: string[];
  /** A streamed response of this media type. */
  produces?: string;
  responses: Record<number, { description: string; schema?: string }>;
  // biome-ignore lint/suspicious/noExplicitAny: each handler narrows its own query and body types.
  handle(deps: ApiDeps, req: ApiRequest<any, any>): Promise<ApiResponse>;
}

/** Resolves the {tenantId} of a path: reachable by the principal, holding one of the scopes, existing. */
export async function reachTenant(deps: ApiDeps, principal: Principal, raw: string | undefined, scopes: readonly string[]): Promise<TenantId> {
  const id = parseTenantId(raw ?? '');
  if (!id) throw notFound(`tenant ${raw}`);
  authorizeTenant(principal, id, scopes);
  const exists = await deps.db.selectFrom('tenants').select('id').where('id', '=', id).executeTakeFirst();
  if (!exists) throw notFound(`tenant ${id}`);
  return id;
}
