import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import type { TenantId } from './ids.js';
import { hashSecret, newSecret } from './secret-tokens.js';

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

/** How many expired tokens one issuance sweeps away: bounded, so issuance stays fast. */
const SWEEP_BATCH = 500;

/**
 * Issues an opaque bearer token and records the client's use. Each issuance also deletes a bounded
 * batch of expired tokens (any client's, oldest first, on the expiry index), which keeps the table
 * near its live size without a separate job.
 */
export async function issueAccessToken(
  db: Kysely<Database>,
  grant: { clientId: string; tenantId: TenantId; scopes: string[]; ttlSeconds: number; now: Date },
): Promise<IssuedToken> {
  const token = newSecret('eha');
  const expiresAt = new Date(grant.now.getTime() + grant.ttlSeconds * 1000);
  await db.transaction().execute(async (trx) => {
    await sql`DELETE FROM access_tokens WHERE token_hash IN (
      SELECT token_hash FROM access_tokens WHERE expires_at < ${grant.now} ORDER BY expires_at LIMIT ${SWEEP_BATCH})`.execute(trx);
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
    await trx.updateTable('oauth_clients').set({ last_used_at: grant.now }).where('client_id', '=', grant.clientId).execute();
  });
  return { token, expiresAt };
}
