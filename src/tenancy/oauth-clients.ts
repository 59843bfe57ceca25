import { type Kysely, type Selectable, sql } from 'kysely';
import { keysetPage } from '../db/keyset.js';
import type { Database, OAuthClientsTable } from '../db/schema.js';
import type { OAuthClient, OAuthClientCreated } from '../generated/api-types.js';
import { notFound } from '../problems.js';
import { type ActorContext, recordAudit } from '../security/audit-log.js';
import type { TenantId } from './ids.js';
import { assertScopesFor } from './scope-checks.js';
import { hashSecret, kindOf, newSecret } from './secret-tokens.js';

type Row = Selectable<OAuthClientsTable>;

/** Creates an OAuth 2.0 client for the client credentials grant. The secret is returned here only. */
export async function createOAuthClient(
  db: Kysely<Database>,
  ctx: ActorContext,
  tenantId: TenantId,
  input: { name?: string; scopes: string[] },
): Promise<OAuthClientCreated> {
  assertScopesFor(input.scopes, 'tenant');
  const clientId = newSecret('ehc', 18);
  const clientSecret = newSecret('ehs');
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('oauth_clients')
      .values({ client_id: clientId, tenant_id: tenantId, name: input.name ?? '', secret_hash: hashSecret(clientSecret), scopes: input.scopes })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, {
      tenantId,
      action: 'oauth_client.create',
      target: { type: 'oauth_client', id: clientId },
      details: { scopes: input.scopes, name: row.name },
    });
    return { clientId, clientSecret, tenantId, name: row.name, scopes: row.scopes, createdAt: row.created_at.toISOString() };
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
export async function revokeOAuthClient(db: Kysely<Database>, ctx: ActorContext, tenantId: TenantId, clientId: string): Promise<OAuthClient> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('oauth_clients')
      .set({ revoked_at: sql`coalesce(revoked_at, now())` })
      .where('tenant_id', '=', tenantId)
      .where('client_id', '=', clientId)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound(`OAuth client ${clientId}`);
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
    createdAt: r.created_at.toISOString(),
    revokedAt: r.revoked_at?.toISOString() ?? null,
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
  };
}
