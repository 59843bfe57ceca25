import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { TenantId } from '../tenancy/ids.js';
import { secretMatches } from '../tenancy/secret-tokens.js';
import { invalidClient, OAuthError } from './errors.js';

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post';

export interface AuthenticatedClient {
  clientId: string;
  tenantId: TenantId;
  scopes: string[];
  method: ClientAuthMethod;
}

/**
 * RFC 6749 §2.3.1: the client authenticates with HTTP Basic (client_secret_basic) or with
 * client_id/client_secret form parameters (client_secret_post) — exactly one of the two.
 */
export async function authenticateClient(db: Kysely<Database>, authorization: string | undefined, form: Record<string, string>): Promise<AuthenticatedClient> {
  const fromHeader = authorization !== undefined ? parseBasic(authorization) : undefined;
  const inBody = form.client_secret !== undefined;
  if (fromHeader && inBody)
    throw new OAuthError('invalid_request', 'the client authenticated twice (Authorization header and client_secret); use exactly one method');
  const method: ClientAuthMethod = fromHeader ? 'client_secret_basic' : 'client_secret_post';
  const presented = fromHeader ?? (inBody ? { id: form.client_id, secret: form.client_secret } : undefined);
  if (!presented?.id || presented.secret === undefined) {
    throw invalidClient('client authentication is required: HTTP Basic (client_secret_basic) or client_id and client_secret in the body (client_secret_post)');
  }
  if (fromHeader && form.client_id !== undefined && form.client_id !== fromHeader.id) {
    throw new OAuthError('invalid_request', 'client_id in the body differs from the client authenticated by the Authorization header');
  }

  const row = await db
    .selectFrom('oauth_clients')
    .select(['client_id', 'tenant_id', 'scopes', 'secret_hash', 'revoked_at'])
    .where('client_id', '=', presented.id)
    .executeTakeFirst();
  if (!row) throw invalidClient('client authentication failed: unknown client_id');
  if (!secretMatches(presented.secret, row.secret_hash)) throw invalidClient('client authentication failed: wrong client_secret');
  if (row.revoked_at) throw invalidClient('client authentication failed: the client has been revoked');
  return { clientId: row.client_id, tenantId: row.tenant_id as TenantId, scopes: row.scopes, method };
}

/** `Basic base64(urlencode(id) ":" urlencode(secret))` (§2.3.1 form-encodes both before base64). */
function parseBasic(header: string): { id: string; secret: string } {
  const m = /^Basic ([A-Za-z0-9+/]+={0,2})$/i.exec(header.trim());
  if (!m) throw invalidClient('the Authorization header is not HTTP Basic credentials');
  const decoded = Buffer.from(m[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw invalidClient('the Basic credentials lack the ":" between client_id and client_secret');
  try {
    return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    throw invalidClient('the Basic credentials are not valid form-encoding');
  }
}

function formDecode(s: string): string {
  return decodeURIComponent(s.replace(/\+/g, ' '));
}
