import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { TenantId } from './ids.js';
import { hashSecret, newSecret } from './secret-tokens.js';

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

/**
 * Issues an opaque bearer token. Expired tokens of the same client are swept on the way, which keeps
 * the table at about one live token per client and active hour without a separate job.
 */
export async function issueAccessToken(
  db: Kysely<Database>,
  grant: { clientId: string; tenantId: TenantId; scopes: string[]; ttlSeconds: number; now: Date },
): Promise<IssuedToken> {
  const token = newSecret('eha');
  const expiresAt = new Date(grant.now.getTime() + grant.ttlSeconds * 1000);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('access_tokens').where('client_id', '=', grant.clientId).where('expires_at', '<', grant.now).execute();
    await trx
      .insertInto('access_tokens')
      .values({
        token_hash: hashSecret(token),
        client_id: grant.clientId,
        tenant_id: grant.tenantId,
        scopes: grant.scopes,
        issued_at: grant.now,
        expires_at: expiresAt,
      })
      .execute();
  });
  return { token, expiresAt };
}
