import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { standardsDir } from '../paths.js';

/**
 * The scope vocabulary credentials may hold: EdHub's own (standards/edhub/scopes.json) and each
 * standard's (standards/oneroster/scopes.json). Platform-level scopes belong only to platform
 * credentials; every other scope only to a tenant's.
 */
export type ScopeLevel = 'platform' | 'tenant';

export const PLATFORM_ADMIN = 'platform.admin';
export const TENANT_ADMIN = 'tenant.admin';
export const AUDIT_READ = 'audit.read';

interface EdhubScopesFile {
  scopes: { scope: string; level: ScopeLevel; description: string }[];
}
interface OneRosterScopesFile {
  versions: Record<string, { prefix: string; names: string[] }>;
}

function readJson<T>(relative: string): T {
  return JSON.parse(readFileSync(join(standardsDir, relative), 'utf8')) as T;
}

const oneRoster = readJson<OneRosterScopesFile>('oneroster/scopes.json');

/** A OneRoster version's scope prefix and names (standards/oneroster/scopes.json). */
export function oneRosterScopes(version: '1.1' | '1.2'): { prefix: string; names: string[] } {
  const v = oneRoster.versions[version];
  if (!v) throw new Error(`standards/oneroster/scopes.json has no version ${version}`);
  return v;
}

function buildVocabulary(): Map<string, ScopeLevel> {
  const vocab = new Map<string, ScopeLevel>();
  for (const s of readJson<EdhubScopesFile>('edhub/scopes.json').scopes) vocab.set(s.scope, s.level);
  for (const v of Object.values(oneRoster.versions)) {
    for (const name of v.names) vocab.set(v.prefix + name, 'tenant');
  }
  return vocab;
}

const vocabulary = buildVocabulary();

export function knownScopes(): string[] {
  return [...vocabulary.keys()];
}

/** For each requested scope that a credential of this level cannot hold: its index and why. */
export function checkScopes(scopes: readonly string[], level: ScopeLevel): { index: number; detail: string }[] {
  const problems: { index: number; detail: string }[] = [];
  scopes.forEach((scope, index) => {
    const l = vocabulary.get(scope);
    if (!l) problems.push({ index, detail: `unknown scope ${JSON.stringify(scope)}` });
    else if (l !== level) problems.push({ index, detail: `${scope} is a ${l}-level scope and cannot be held by a ${level} credential` });
  });
  return problems;
}

/** RFC 6749 §3.3 scope string: space-delimited, case-sensitive tokens. */
export function parseScopeString(text: string): string[] {
  return [...new Set(text.split(' ').filter((s) => s.length > 0))];
}
