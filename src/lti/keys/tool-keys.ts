import { type CryptoKey, calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair, importPKCS8, type JWK, type JWTPayload, SignJWT } from 'jose';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { LtiToolKey, LtiToolKeyRotation } from '../../generated/api-types.js';
import { Problem } from '../../problems.js';
import { type ActorContext, recordAudit } from '../../security/audit-log.js';
import type { Vault } from '../../security/vault.js';
import { ACTIVATION_DELAY_SECONDS, type KeyStatus, keyStates, RETIRED_KEY_PUBLISH_SECONDS, TOOL_TOKEN_MAX_LIFETIME_SECONDS } from './key-schedule.js';

/** Serialises key creation across app instances (an arbitrary constant). */
const TOOL_KEY_LOCK = 7_245_118_302;
const VAULT_PURPOSE = 'lti.tool-signing-key';

interface StoredKey {
  kid: string;
  activatesAt: Date;
  createdAt: Date;
  publicJwk: JWK;
  secretId: string | null;
}

/**
 * The tool's RS256 signing keys (2048-bit): private halves sealed in the vault as platform secrets,
 * public halves served at /.well-known/jwks.json, rotated on the schedule of key-schedule.ts. The
 * first key is made on first use, under an advisory lock so concurrent instances make one.
 */
export class ToolKeys {
  private readonly privateKeys = new Map<string, CryptoKey>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly vault: Vault,
    private readonly now: () => Date,
  ) {}

  /** The public keys to publish: the next, current and retired keys (never an unpublished one). */
  async jwks(): Promise<{ keys: JWK[] }> {
    const statuses = await this.statuses();
    return { keys: statuses.filter((s) => s.state !== 'unpublished').map((s) => s.key.publicJwk) };
  }

  async list(): Promise<LtiToolKey[]> {
    return (await this.statuses()).map(toApi).reverse();
  }

  /** Signs a JWT with the current key: RS256, kid in the header, expiring within the schedule's limit. */
  async sign(payload: JWTPayload, lifetimeSeconds: number = TOOL_TOKEN_MAX_LIFETIME_SECONDS): Promise<string> {
    const current = (await this.statuses()).find((s) => s.state === 'current');
    if (!current) throw new Error('no current LTI tool key');
    const key = await this.privateKey(current.key);
    const iat = Math.floor(this.now().getTime() / 1000);
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid: current.key.kid, typ: 'JWT' })
      .setIssuedAt(iat)
      .setExpirationTime(iat + Math.min(lifetimeSeconds, TOOL_TOKEN_MAX_LIFETIME_SECONDS))
      .sign(key);
  }

  /**
   * Makes a new key. It is published at once and signs after one JWKS cache period (at once when
   * `immediate`, or when it is the first key); the key it supersedes stays published for the overlap.
   * Private keys of keys no longer published are deleted.
   */
  async rotate(ctx: ActorContext, options: { immediate?: boolean } = {}): Promise<LtiToolKeyRotation> {
    return this.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${TOOL_KEY_LOCK})`.execute(trx);
      const now = this.now();
      const statuses = keyStates(await loadKeys(trx), now);
      const pending = statuses.find((s) => s.state === 'next');
      if (pending && !options.immediate) {
        throw new Problem(
          'conflict',
          `key ${pending.key.kid} is already scheduled to sign from ${pending.key.activatesAt.toISOString()}; rotate again after that (or use --immediate)`,
        );
      }
      if (pending) {
        // An immediate rotation replaces a key still waiting to sign: it never signed anything.
        await trx.deleteFrom('lti_tool_keys').where('kid', '=', pending.key.kid).execute();
        if (pending.key.secretId) await this.vault.delete(null, pending.key.secretId, trx);
      }
      const current = statuses.find((s) => s.state === 'current');
      const activatesAt = current && !options.immediate ? new Date(now.getTime() + ACTIVATION_DELAY_SECONDS * 1000) : now;
      const kid = await this.createKey(trx, activatesAt);
      let deleted = 0;
      for (const s of statuses) {
        if (s.state !== 'unpublished' || !s.key.secretId) continue;
        await this.vault.delete(null, s.key.secretId, trx);
        deleted++;
      }
      const previousPublishedUntil = current ? new Date(activatesAt.getTime() + RETIRED_KEY_PUBLISH_SECONDS * 1000) : null;
      const report: LtiToolKeyRotation = {
        kid,
        activatesAt: activatesAt.toISOString(),
        previousKid: current?.key.kid ?? null,
        previousPublishedUntil: previousPublishedUntil?.toISOString() ?? null,
        deletedPrivateKeys: deleted,
      };
      await recordAudit(trx, ctx, { tenantId: null, action: 'lti.tool_key.rotate', target: { type: 'lti_tool_key', id: kid }, details: { ...report } });
      return report;
    });
  }

  private async statuses(): Promise<KeyStatus<StoredKey>[]> {
    let keys = await loadKeys(this.db);
    if (keys.length === 0) keys = await this.bootstrap();
    return keyStates(keys, this.now());
  }

  private async bootstrap(): Promise<StoredKey[]> {
    return this.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${TOOL_KEY_LOCK})`.execute(trx);
      const existing = await loadKeys(trx);
      if (existing.length > 0) return existing; // another instance made it while we waited
      await this.createKey(trx, this.now());
      return loadKeys(trx);
    });
  }

  private async createKey(trx: Kysely<Database>, activatesAt: Date): Promise<string> {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
    const jwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(jwk);
    const publicJwk: JWK = { ...jwk, kid, alg: 'RS256', use: 'sig' };
    const secretId = await this.vault.put(null, VAULT_PURPOSE, await exportPKCS8(privateKey), trx);
    await trx
      .insertInto('lti_tool_keys')
      .values({ kid, public_jwk: JSON.stringify(publicJwk), private_key_secret_id: secretId, activates_at: activatesAt })
      .execute();
    this.privateKeys.set(kid, privateKey);
    return kid;
  }

  private async privateKey(key: StoredKey): Promise<CryptoKey> {
    const cached = this.privateKeys.get(key.kid);
    if (cached) return cached;
    if (!key.secretId) throw new Error(`the private half of LTI tool key ${key.kid} has been deleted`);
    const imported = await importPKCS8(await this.vault.getString(null, key.secretId), 'RS256');
    this.privateKeys.set(key.kid, imported);
    return imported;
  }
}

async function loadKeys(db: Kysely<Database>): Promise<StoredKey[]> {
  const rows = await db.selectFrom('lti_tool_keys').selectAll().orderBy('activates_at').execute();
  return rows.map((r) => ({
    kid: r.kid,
    activatesAt: r.activates_at,
    createdAt: r.created_at,
    publicJwk: r.public_jwk as JWK,
    secretId: r.private_key_secret_id,
  }));
}

function toApi(s: KeyStatus<StoredKey>): LtiToolKey {
  return {
    kid: s.key.kid,
    state: s.state,
    createdAt: s.key.createdAt.toISOString(),
    activatesAt: s.key.activatesAt.toISOString(),
    publishedUntil: s.publishedUntil?.toISOString() ?? null,
  };
}
