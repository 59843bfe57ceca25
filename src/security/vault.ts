import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { TenantId } from '../tenancy/ids.js';
import { EnvelopeError, open, seal } from './envelope.js';
import type { MasterKeyring } from './master-keyring.js';

/** null: the platform's own secrets (not a tenant's). */
export type VaultOwner = TenantId | null;
type Executor = Kysely<Database> | Transaction<Database>;

export class VaultError extends Error {
  override readonly name = 'VaultError';
}

export interface RotationReport {
  rewrapped: number;
  alreadyCurrent: number;
  currentKeyId: string;
}

/**
 * Envelope encryption for stored third-party credentials: each owner (tenant, or the platform) has
 * one AES-256 data key, stored wrapped by the current master key; each secret is sealed under its
 * owner's data key. Rotating the master key re-wraps data keys only — secrets are never re-encrypted,
 * and a running server keeps working throughout (see rotateMaster).
 */
export class Vault {
  /** Unwrapped data keys by id. Re-wrapping does not change a data key, so entries never go stale. */
  private readonly dataKeys = new Map<string, Buffer>();

  constructor(
    private readonly db: Kysely<Database>,
    private keyring: MasterKeyring,
  ) {}

  /** Swaps in a new keyring (after a rotation) without dropping cached data keys. */
  useKeyring(keyring: MasterKeyring): void {
    this.keyring = keyring;
  }

  async put(owner: VaultOwner, purpose: string, plaintext: string | Buffer, executor: Executor = this.db): Promise<string> {
    const id = randomUUID();
    const dk = await this.dataKeyFor(owner, executor);
    const ciphertext = seal(dk.key, toBuffer(plaintext), secretAad(owner, id, purpose));
    await executor.insertInto('vault_secrets').values({ id, tenant_id: owner, data_key_id: dk.id, purpose, ciphertext }).execute();
    return id;
  }

  async replace(owner: VaultOwner, id: string, plaintext: string | Buffer, executor: Executor = this.db): Promise<void> {
    const row = await this.row(owner, id, executor);
    const dk = await this.dataKeyFor(owner, executor);
    const ciphertext = seal(dk.key, toBuffer(plaintext), secretAad(owner, id, row.purpose));
    await ownerScoped(executor.updateTable('vault_secrets'), owner)
      .set({ ciphertext, data_key_id: dk.id, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
  }

  async get(owner: VaultOwner, id: string, executor: Executor = this.db): Promise<Buffer> {
    const row = await this.row(owner, id, executor);
    const key = await this.unwrapDataKey(row.data_key_id, owner, executor);
    return open(key, row.ciphertext, secretAad(owner, id, row.purpose));
  }

  async getString(owner: VaultOwner, id: string, executor: Executor = this.db): Promise<string> {
    return (await this.get(owner, id, executor)).toString('utf8');
  }

  async delete(owner: VaultOwner, id: string, executor: Executor = this.db): Promise<boolean> {
    const r = await ownerScoped(executor.deleteFrom('vault_secrets'), owner).where('id', '=', id).executeTakeFirst();
    return r.numDeletedRows > 0n;
  }

  /**
   * Re-wraps every data key not yet under the current master key, in one transaction (all or none).
   * Zero downtime: servers that cached a data key keep using it; servers whose keyring holds both the
   * old and the new master key can unwrap either form while the rotation runs.
   */
  async rotateMaster(): Promise<RotationReport> {
    const current = this.keyring.current;
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx.selectFrom('vault_data_keys').selectAll().forUpdate().execute();
      let rewrapped = 0;
      for (const row of rows) {
        if (row.master_key_id === current.id) continue;
        const owner = row.tenant_id as VaultOwner;
        const key = this.unwrap(row, owner);
        await trx
          .updateTable('vault_data_keys')
          .set({ wrapped_key: seal(current.key, key, dataKeyAad(owner, row.id)), master_key_id: current.id, rewrapped_at: new Date() })
          .where('id', '=', row.id)
          .execute();
        rewrapped++;
      }
      return { rewrapped, alreadyCurrent: rows.length - rewrapped, currentKeyId: current.id };
    });
  }

  /** Master key ids that wrapped data keys still depend on. */
  async masterKeysInUse(): Promise<Set<string>> {
    const rows = await this.db.selectFrom('vault_data_keys').select('master_key_id').distinct().execute();
    return new Set(rows.map((r) => r.master_key_id));
  }

  private async row(owner: VaultOwner, id: string, executor: Executor) {
    const row = await ownerScoped(executor.selectFrom('vault_secrets').select(['purpose', 'ciphertext', 'data_key_id']), owner)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new VaultError(`no secret ${id} for this owner`);
    return row;
  }

  private async dataKeyFor(owner: VaultOwner, executor: Executor): Promise<{ id: string; key: Buffer }> {
    const existing = await ownerScoped(executor.selectFrom('vault_data_keys').select('id'), owner).executeTakeFirst();
    if (existing) return { id: existing.id, key: await this.unwrapDataKey(existing.id, owner, executor) };
    const id = randomUUID();
    const key = randomBytes(32);
    const current = this.keyring.current;
    const inserted = await executor
      .insertInto('vault_data_keys')
      .values({ id, tenant_id: owner, wrapped_key: seal(current.key, key, dataKeyAad(owner, id)), master_key_id: current.id })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if ((inserted.numInsertedOrUpdatedRows ?? 0n) === 0n) return this.dataKeyFor(owner, executor); // lost a race: use the winner's
    this.dataKeys.set(id, key);
    return { id, key };
  }

  private async unwrapDataKey(id: string, owner: VaultOwner, executor: Executor): Promise<Buffer> {
    const cached = this.dataKeys.get(id);
    if (cached) return cached;
    const row = await executor.selectFrom('vault_data_keys').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const key = this.unwrap(row, owner);
    this.dataKeys.set(id, key);
    return key;
  }

  private unwrap(row: { id: string; wrapped_key: Buffer; master_key_id: string }, owner: VaultOwner): Buffer {
    const master = this.keyring.get(row.master_key_id);
    if (!master) {
      throw new VaultError(
        `data key ${row.id} is wrapped by master key ${row.master_key_id}, which is not in the keyring ` +
          `(known: ${this.keyring.ids().join(', ')}); add it to EDHUB_MASTER_KEYS_PREVIOUS`,
      );
    }
    try {
      return open(master.key, row.wrapped_key, dataKeyAad(owner, row.id));
    } catch (err) {
      if (err instanceof EnvelopeError) throw new VaultError(`data key ${row.id} does not open under master key ${master.id}`);
      throw err;
    }
  }
}

// biome-ignore lint/suspicious/noExplicitAny: Kysely's builder types differ per statement kind; all have where().
function ownerScoped<QB extends { where: (...args: any[]) => any }>(qb: QB, owner: VaultOwner): QB {
  return (owner === null ? qb.where('tenant_id', 'is', null) : qb.where('tenant_id', '=', owner)) as QB;
}

function secretAad(owner: VaultOwner, id: string, purpose: string): string {
  return `edhub secret v1|${owner ?? 'platform'}|${id}|${purpose}`;
}

function dataKeyAad(owner: VaultOwner, id: string): string {
  return `edhub data key v1|${owner ?? 'platform'}|${id}`;
}

function toBuffer(v: string | Buffer): Buffer {
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
}
