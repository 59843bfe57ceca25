import { type Kysely, type Selectable, sql } from 'kysely';
import { keysetPage } from '../db/keyset.js';
import type { Database, OAuthClientsTable } from '../db/schema.js';
import type { OAuthClient, OAuthClientCreated } from '../generated/api-types.js';
import { notFound } from '../problems.js';
import { type ActorContext, recordAudit } from '../security/audit-log.js';
import type { Vault } from '../security/vault.js';
import type { TenantId } from './ids.js';
import { assertScopesFor } from './scope-checks.js';
import { hashSecret, kindOf, newSecret } from './secret-tokens.js';

type Row = Selectable<OAuthClientsTable>;

/** The vault purpose of an OAuth 1.0a consumer secret. */
export const OAUTH1_SECRET_PURPOSE = 'oauth1-consumer-secret';

/**
 * Creates an OAuth 2.0 client for the client credentials grant. The secret is returned here only.
 * With `oauth1`, the client may also sign OneRoster 1.1 requests with OAuth 1.0a, which needs the
 * secret itself: it is then kept in the vault too (and removed from it when the client is revoked).
 */
export async function createOAuthClient(
  db: Kysely<Database>,
  vault: Vault,
  ctx: ActorContext,
  tenantId: TenantId,
  input: { name?: string; scopes: string[]; oauth1?: boolean },
): Promise<OAuthClientCreated> {
  assertScopesFor(input.scopes, 'tenant');
  const clientId = newSecret('ehc', 18);
  const clientSecret = newSecret('ehs');
  return db.transaction().execute(async (trx) => {
    const oauth1SecretId = input.oauth1 ? await vault.put(tenantId, OAUTH1_SECRET_PURPOSE, clientSecret, trx) : null;
    const row = await trx
      .insertInto('oauth_clients')
      .values({
        client_id: clientId,
        tenant_id: tenantId,
        name: input.name ?? '',
        secret_hash: hashSecret(clientSecret),
        scopes: input.scopes,
        oauth1_secret_id: oauth1SecretId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, {
      tenantId,
      action: 'oauth_client.create',
      target: { type: 'oauth_client', id: clientId },
      details: { scopes: input.scopes, name: row.name, oauth1: oauth1SecretId !== null },
    });
    return { clientId, clientSecret, tenantId, name: row.name, scopes: row.scopes, oauth1: oauth1SecretId !== null, createdAt: row.created_at.toISOString() };
  });
}

export async function listOAuthClients(
  db: Kysely<Database>,
  tenantId: TenantId,
  page: { limit: number; cursor?: string },
): Promise<{ items: OAuthClient[]; nextCursor: string | null }> {
  const key = { column: 'client_id', type: 'text' as const, isId: (id: string) => kindOf(id) === 'ehc', idOf: (r: { client_id: string }) => r.client_id };
  const p = await keysetPage<Row>(page, key, ({ after, orderBy, limit }) => {
    let q = db.selectFrom('oauth_clients').selectAll().where('tenant_id', '=', tenantId);
    if (after) q = q.where(after);
    return q.orderBy(sql.ref(orderBy[0])).orderBy(sql.ref(orderBy[1])).limit(limit).execute();
  });
  return { items: p.rows.map(toOAuthClient), nextCursor: p.nextCursor };
}

/** Revokes the client and, in the same transaction, every access token it was issued. */
export async function revokeOAuthClient(db: Kysely<Database>, vault: Vault, ctx: ActorContext, tenantId: TenantId, clientId: string): Promise<OAuthClient> {
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('oauth_clients')
      .select('oauth1_secret_id')
      .where('tenant_id', '=', tenantId)
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    if (!before) throw notFound(`OAuth client ${clientId}`);
    // The OAuth 1.0a secret goes with the client: the signature check then fails like an unknown key's.
    const row = await trx
      .updateTable('oauth_clients')
      .set({ revoked_at: sql`coalesce(revoked_at, now())`, oauth1_secret_id: null })
      .where('tenant_id', '=', tenantId)
      .where('client_id', '=', clientId)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (before.oauth1_secret_id) await vault.delete(tenantId, before.oauth1_secret_id, trx);
    await trx.deleteFrom('access_tokens').where('client_id', '=', clientId).execute();
    await recordAudit(trx, ctx, { tenantId, action: 'oauth_client.revoke', target: { type: 'oauth_client', id: clientId } });
    return toOAuthClient(row);
  });
}

function toOAuthClient(r: Row): OAuthClient {
  return {
    clientId: r.client_id,
    tenantId: r.tenant_id,
    name: r.name,
    scopes: r.scopes,
    oauth1: r.oauth1_secret_id !== null,
    createdAt: r.created_at.toISOString(),
    revokedAt: r.revoked_at?.toISOString() ?? null,
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
  };
}
