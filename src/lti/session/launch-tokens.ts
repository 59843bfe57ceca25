import { randomBytes, randomUUID, webcrypto } from 'node:crypto';
import { type CryptoKey, decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Vault } from '../../security/vault.js';
import type { TenantId } from '../../tenancy/ids.js';
import { LtiError } from '../errors.js';

const LAUNCH_TOKEN_KEY_LOCK = 7_245_118_303;
const TYP = 'edhub-ltik+jwt';

/**
 * Launch tokens ("ltik", after ltijs): after a valid launch the application session travels as a
 * short-lived signed token in a URL (`?ltik=`) or an `Authorization: Bearer` header, so later
 * requests never depend on third-party cookies. HS256 under an installation key kept in the vault
 * (any instance verifies without a database read for the signature); the token names the launch row,
 * which holds the session, and expires with it. The audience pins it to EdHub's LTI session, so it
 * is never mistaken for any other token.
 */
export class LaunchTokens {
  // Imported once as CryptoKeys: jose would otherwise import raw key bytes on every sign and verify.
  private current: { kid: string; key: CryptoKey } | undefined;
  private readonly keys = new Map<string, CryptoKey>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly vault: Vault,
    private readonly now: () => Date,
    private readonly issuer: string,
  ) {}

  async issue(session: { launchId: string; tenantId: TenantId; expiresAt: Date }): Promise<string> {
    const { kid, key } = await this.signingKey();
    return new SignJWT({ tid: session.tenantId })
      .setProtectedHeader({ alg: 'HS256', kid, typ: TYP })
      .setIssuer(this.issuer)
      .setAudience(this.audience())
      .setSubject(session.launchId)
      .setJti(session.launchId)
      .setIssuedAt(Math.floor(this.now().getTime() / 1000))
      .setExpirationTime(Math.floor(session.expiresAt.getTime() / 1000))
      .sign(key);
  }

  /** The launch a token names; any flaw (format, key, signature, audience, expiry) is one `launch-token-invalid`. */
  async verify(token: string): Promise<{ launchId: string; tenantId: TenantId }> {
    try {
      const { kid } = decodeProtectedHeader(token);
      const key = typeof kid === 'string' ? await this.keyById(kid) : undefined;
      if (!key) throw new Error('unknown key');
      const { payload } = await jwtVerify(token, key, {
        algorithms: ['HS256'],
        issuer: this.issuer,
        audience: this.audience(),
        typ: TYP,
        currentDate: this.now(),
        requiredClaims: ['sub', 'exp', 'tid'],
      });
      return { launchId: payload.sub as string, tenantId: payload.tid as TenantId };
    } catch (err) {
      throw new LtiError('launch-token-invalid', `the launch token does not verify: ${(err as { code?: string }).code ?? (err as Error).message}`);
    }
  }

  private audience(): string {
    return `${this.issuer}/lti/session`;
  }

  private async signingKey(): Promise<{ kid: string; key: CryptoKey }> {
    if (this.current) return this.current;
    let row = await this.db.selectFrom('lti_launch_token_keys').selectAll().orderBy('created_at', 'desc').limit(1).executeTakeFirst();
    if (!row) {
      row = await this.db.transaction().execute(async (trx) => {
        await sql`SELECT pg_advisory_xact_lock(${LAUNCH_TOKEN_KEY_LOCK})`.execute(trx);
        const existing = await trx.selectFrom('lti_launch_token_keys').selectAll().limit(1).executeTakeFirst();
        if (existing) return existing;
        const secretId = await this.vault.put(null, 'lti.launch-token-key', randomBytes(32), trx);
        return trx.insertInto('lti_launch_token_keys').values({ kid: randomUUID(), secret_id: secretId }).returningAll().executeTakeFirstOrThrow();
      });
    }
    const key = await hmacKey(await this.vault.get(null, row.secret_id));
    this.keys.set(row.kid, key);
    this.current = { kid: row.kid, key };
    return this.current;
  }

  private async keyById(kid: string): Promise<CryptoKey | undefined> {
    const cached = this.keys.get(kid);
    if (cached) return cached;
    if (!/^[0-9a-f-]{36}$/.test(kid)) return undefined;
    const row = await this.db.selectFrom('lti_launch_token_keys').selectAll().where('kid', '=', kid).executeTakeFirst();
    if (!row) return undefined;
    const key = await hmacKey(await this.vault.get(null, row.secret_id));
    this.keys.set(kid, key);
    return key;
  }
}

function hmacKey(raw: Buffer): Promise<CryptoKey> {
  return webcrypto.subtle.importKey('raw', new Uint8Array(raw), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}
