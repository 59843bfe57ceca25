import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { TenantId } from './ids.js';
import type { Principal } from './principal.js';
import { hashSecret, kindOf } from './secret-tokens.js';

/** Why a presented credential was refused; each maps to a distinct, truthful message. */
export type CredentialFailure = 'malformed' | 'unknown' | 'expired' | 'revoked';
export type AuthenticationResult =
  | { ok: true; principal: Principal }
  | { ok: false; failure: CredentialFailure; kind: 'api key' | 'access token' | 'credential' };

/** last_used_at is a hint for administrators, not a log: write it at most once a minute per credential. */
const LAST_USED_RESOLUTION_MS = 60_000;

export type Authenticator = (presented: string, now: Date) => Promise<AuthenticationResult>;

/**
 * Resolves a presented API key (`ehk_…`) or access token (`eha_…`) to a principal. The authenticator
 * remembers when it last recorded each key's use, so a busy key costs one UPDATE a minute per
 * process rather than one per request; the SQL condition keeps several processes from writing more.
 */
export function createAuthenticator(db: Kysely<Database>): Authenticator {
  const lastRecorded = new Map<string, number>();
  const recordUse = async (keyId: string, now: Date) => {
    const previous = lastRecorded.get(keyId);
    if (previous !== undefined && now.getTime() - previous < LAST_USED_RESOLUTION_MS) return;
    if (lastRecorded.size > 100_000) lastRecorded.clear(); // bounded memory however many keys exist
    lastRecorded.set(keyId, now.getTime());
    await db
      .updateTable('api_keys')
      .set({ last_used_at: now })
      .where('id', '=', keyId)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', new Date(now.getTime() - LAST_USED_RESOLUTION_MS))]))
      .execute();
  };
  return async (presented, now) => {
    switch (kindOf(presented)) {
      case 'ehk':
        return authenticateApiKey(db, presented, now, recordUse);
      case 'eha':
        return authenticateAccessToken(db, presented, now);
      default:
        return { ok: false, failure: 'malformed', kind: 'credential' };
    }
  };
}

async function authenticateApiKey(
  db: Kysely<Database>,
  key: string,
  now: Date,
  recordUse: (keyId: string, now: Date) => Promise<void>,
): Promise<AuthenticationResult> {
  const row = await db.selectFrom('api_keys').select(['id', 'tenant_id', 'scopes', 'revoked_at']).where('key_hash', '=', hashSecret(key)).executeTakeFirst();
  if (!row) return { ok: false, failure: 'unknown', kind: 'api key' };
  if (row.revoked_at) return { ok: false, failure: 'revoked', kind: 'api key' };
  await recordUse(row.id, now);
  return { ok: true, principal: { credential: { type: 'api_key', id: row.id }, tenantId: row.tenant_id as TenantId | null, scopes: new Set(row.scopes) } };
}

async function authenticateAccessToken(db: Kysely<Database>, token: string, now: Date): Promise<AuthenticationResult> {
  const row = await db
    .selectFrom('access_tokens')
    .innerJoin('oauth_clients', 'oauth_clients.client_id', 'access_tokens.client_id')
    .select(['access_tokens.client_id', 'access_tokens.tenant_id', 'access_tokens.scopes', 'access_tokens.expires_at', 'oauth_clients.revoked_at'])
    .where('access_tokens.token_hash', '=', hashSecret(token))
    .executeTakeFirst();
  if (!row) return { ok: false, failure: 'unknown', kind: 'access token' };
  if (row.revoked_at) return { ok: false, failure: 'revoked', kind: 'access token' };
  if (row.expires_at.getTime() <= now.getTime()) return { ok: false, failure: 'expired', kind: 'access token' };
  return {
    ok: true,
    principal: { credential: { type: 'oauth_client', id: row.client_id }, tenantId: row.tenant_id as TenantId, scopes: new Set(row.scopes) },
  };
}

export function describeFailure(r: Extract<AuthenticationResult, { ok: false }>): string {
  switch (r.failure) {
    case 'malformed':
      return 'the bearer credential is not an EdHub API key (ehk_…) or access token (eha_…)';
    case 'unknown':
      return `the ${r.kind} is not one this server issued`;
    case 'expired':
      return `the ${r.kind} has expired; request a new one from /oauth/token`;
    case 'revoked':
      return r.kind === 'api key' ? 'the api key has been revoked' : 'the access token was issued to a client that has been revoked';
    default: {
      const never: never = r.failure;
      return never;
    }
  }
}
