import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Master keys wrap the per-tenant data keys of the vault. A key is known by its id, a fingerprint
 * derived from it (never the key itself), which is what the database records next to each wrapped
 * data key.
 */
export interface MasterKey {
  readonly id: string;
  readonly key: Buffer;
}

export class MasterKeyError extends Error {
  override readonly name = 'MasterKeyError';
}

export class MasterKeyring {
  private readonly byId: Map<string, MasterKey>;
  constructor(
    readonly current: MasterKey,
    previous: MasterKey[] = [],
    /** Where the keyring lives when EdHub manages it (no EDHUB_MASTER_KEY): <dataDir>/master-keys.json. */
    readonly file?: string,
  ) {
    this.byId = new Map([...previous, current].map((k) => [k.id, k]));
  }

  get(id: string): MasterKey | undefined {
    return this.byId.get(id);
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }
}

export function masterKeyFrom(text: string): MasterKey {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new MasterKeyError('a master key must be 32 bytes, written as base64 (44 characters) or hex (64)');
  return { id: createHash('sha256').update('edhub master key id\0').update(key).digest('hex').slice(0, 16), key };
}

export function generateMasterKeyText(): string {
  return randomBytes(32).toString('base64');
}

interface KeyringFile {
  current: string;
  keys: { key: string; createdAt: string }[];
}

export interface KeyringSource {
  masterKey?: string;
  masterKeysPrevious: string[];
  dataDir: string;
}

/**
 * The keyring from configuration. With EDHUB_MASTER_KEY set it is that key plus EDHUB_MASTER_KEYS_PREVIOUS
 * (and, read-only, any keys left in a generated keyring file, so moving from a generated key to a
 * configured one is a `rotate-master` away). Without it, EdHub manages <dataDir>/master-keys.json,
 * creating it with a fresh random key on first use.
 */
export function loadKeyring(source: KeyringSource): { keyring: MasterKeyring; generated: boolean } {
  const file = join(source.dataDir, 'master-keys.json');
  const previous = source.masterKeysPrevious.map(masterKeyFrom);
  if (source.masterKey) {
    const fromFile = existsSync(file) ? readKeyringFile(file).keys.map((k) => masterKeyFrom(k.key)) : [];
    return { keyring: new MasterKeyring(masterKeyFrom(source.masterKey), [...previous, ...fromFile]), generated: false };
  }
  let generated = false;
  if (!existsSync(file)) {
    const text = generateMasterKeyText();
    writeKeyringFile(file, { current: masterKeyFrom(text).id, keys: [{ key: text, createdAt: new Date().toISOString() }] });
    generated = true;
  }
  const content = readKeyringFile(file);
  const keys = content.keys.map((k) => masterKeyFrom(k.key));
  const current = keys.find((k) => k.id === content.current);
  if (!current) throw new MasterKeyError(`${file}: its current key ${content.current} is not among its keys`);
  return { keyring: new MasterKeyring(current, [...previous, ...keys.filter((k) => k !== current)], file), generated };
}

/** Adds a fresh key to a managed keyring file and makes it current; the old keys stay until pruned. */
export function addGeneratedKey(file: string): MasterKey {
  const content = readKeyringFile(file);
  const text = generateMasterKeyText();
  const key = masterKeyFrom(text);
  writeKeyringFile(file, { current: key.id, keys: [...content.keys, { key: text, createdAt: new Date().toISOString() }] });
  return key;
}

/** Drops keys from a managed keyring file that no wrapped data key refers to any more. */
export function pruneGeneratedKeys(file: string, stillUsed: Set<string>): string[] {
  const content = readKeyringFile(file);
  const dropped: string[] = [];
  const keys = content.keys.filter((k) => {
    const id = masterKeyFrom(k.key).id;
    const keep = id === content.current || stillUsed.has(id);
    if (!keep) dropped.push(id);
    return keep;
  });
  writeKeyringFile(file, { current: content.current, keys });
  return dropped;
}

function readKeyringFile(file: string): KeyringFile {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as KeyringFile;
    if (typeof parsed.current !== 'string' || !Array.isArray(parsed.keys)) throw new Error('unexpected shape');
    return parsed;
  } catch (err) {
    throw new MasterKeyError(`cannot read the master keyring ${file}: ${(err as Error).message}`);
  }
}

/** Written to a temporary file and renamed over the old one, so a crash never leaves half a keyring. */
function writeKeyringFile(file: string, content: KeyringFile): void {
  mkdirSync(join(file, '..'), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}
